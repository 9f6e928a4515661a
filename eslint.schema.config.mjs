// `npm run lint:schema`: graphql-eslint's recommended schema rules over schema.graphql, the API's
// contract, plus descriptions on everything (the issue-18 convention), not only on types and root fields.
import graphqlPlugin from "@graphql-eslint/eslint-plugin";

export default [
  {
    files: ["schema.graphql"],
    languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: "schema.graphql" } } },
    plugins: { "@graphql-eslint": graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs["flat/schema-recommended"].rules,
      "@graphql-eslint/require-description": [
        "error",
        {
          types: true,
          rootField: true,
          DirectiveDefinition: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          ScalarTypeDefinition: true,
        },
      ],
      // type-graphql emits only types a root field reaches and the orphanedTypes buildAppSchema lists on purpose
      // (ErrorExtensions, which types `errors[].extensions`), so every "unreachable" type here is one of those.
      "@graphql-eslint/no-unreachable-types": "off",
      // Value types, not entities a normalised cache keeps by id: payloads, connections, errors, one-time results.
      "@graphql-eslint/strict-id-in-types": [
        "error",
        {
          exceptions: {
            suffixes: ["Payload", "Connection", "Edge", "Info"],
            types: [
              "PageInfo",
              "ErrorExtensions",
              "FieldError",
              "FieldErrorParams",
              "LinkedIdentity",
              "ProviderAuthorization",
              "TotpEnrollment",
              // A session's parsed user agent: part of its Session (or AuditEvent), kept inside it.
              "Device",
              "Software",
              "TwoStepChallenge",
              "CreatedApiKey",
            ],
          },
        },
      ],
    },
  },
];
