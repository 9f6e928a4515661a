/**
 * `@ObjectType` options for the types the account center's page reads: their fields without a
 * resolver of their own are read as plain properties (graphql-js's default resolver) instead of
 * through type-graphql's wrapper, which allocates and dispatches on every read (the page reads ~50
 * such fields per load). Only for types whose fields are plain properties (no method or getter stands
 * for a field) and that have no middleware or `@Authorized` on a field (the wrapper is what runs them).
 */
export const PLAIN_FIELDS = { simpleResolvers: true } as const;
