import type { CodegenConfig } from "@graphql-codegen/cli";

// Types every graphql(`...`) operation in web/src against the checked-in schema, so a change of the
// API that breaks the SPA fails `npm run build:web` and `npm run typecheck`.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["web/src/**/*.{ts,tsx}", "!web/src/gql/**"],
  generates: {
    "web/src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      // Plain strings (no graphql-js in the bundle), union types for enums, DateTime as its ISO string.
      config: { documentMode: "string", enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: "string" } },
    },
    // Every type of the schema, those no operation selects included: ErrorExtensions (with ErrorCode
    // and FieldErrorCode) types `errors[].extensions`, which is outside the operations.
    "web/src/gql/schema.ts": {
      plugins: ["typescript"],
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: "string" } },
    },
  },
};

export default config;
