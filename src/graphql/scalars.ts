import { GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";

const dateTimeIso = GraphQLDateTimeISO.toConfig();

/** The contract names the instant scalar `DateTime`: an ISO-8601 string in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeIso,
  name: "DateTime",
  description: "ISO-8601 date-time string in UTC, e.g. 2026-11-23T15:04:05.000Z.",
  // The contract graphql-scalars' DateTime follows; our values are its UTC form with milliseconds.
  specifiedByURL: "https://scalars.graphql.org/andimarek/date-time",
  // Every value we send is a valid Date from an entity: one toISOString, not graphql-scalars' checks
  // of every input shape (a few µs on each `me`). Anything else goes through those checks.
  serialize: (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : dateTimeIso.serialize(value)),
});
