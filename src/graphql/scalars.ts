import { GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";

/** The contract names the instant scalar `DateTime`: an ISO-8601 string in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  name: "DateTime",
  description: "ISO-8601 date-time string in UTC, e.g. 2026-11-23T15:04:05.000Z.",
  specifiedByURL: undefined,
});
