// Type-aware lint (typescript-eslint's recommendedTypeChecked) for the server, bench, tests and the
// account center; formatting is Prettier's job, so eslint-config-prettier turns the style rules off.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "web/dist/**", "web/src/gql/**", "node_modules/**", "coverage/**", "test-artifacts/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    // `const { secret: _secret, ...rest } = x` is how the code leaves a property out of a copy.
    rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
  {
    // Start-up loads no more than a first request needs (docs/performance.md, "Start-up"): these
    // indexes load far more than we use, or what only some requests need. Types may be imported.
    files: ["src/**/*.ts"],
    // Declarations of the parts loaded on their own name the package they come from.
    ignores: ["src/**/*.d.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "class-validator",
              allowTypeImports: true,
              message: "Import from src/graphql/constraints.ts: the index loads ~250 modules.",
            },
            {
              name: "libphonenumber-js/max",
              allowTypeImports: true,
              message: "Parse phone numbers through src/modules/contact/contact-address.ts.",
            },
            { name: "pino-pretty", allowTypeImports: true, message: "Loaded by createLogger only for a terminal." },
            {
              name: "rate-limiter-flexible",
              allowTypeImports: true,
              message: "Import each limiter from its own file (src/core/rate-limiter-flexible.d.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests read GraphQL responses as untyped JSON and assert on them; typing every response would
    // restate the schema in each test, so the rules against `any` stay on for src/, bench/ and web/ only.
    files: ["tests/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  prettier,
);
