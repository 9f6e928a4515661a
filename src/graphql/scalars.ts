import { GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";

const dateTimeIso = GraphQLDateTimeISO.toConfig();

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `date.toISOString()` for the years 1000-9999, null for other dates (invalid ones included). V8's
 * own goes through C++ and snprintf, ~1.2 µs on the bench machine, with seven dates on each
 * account center page; this takes about a third of that.
 */
function isoString(date: Date): string | null {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return null;
  const ms = date.getUTCMilliseconds();
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
  return `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${time}.${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

/** The contract names the instant scalar `DateTime`: an ISO-8601 string in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeIso,
  name: "DateTime",
  description: "ISO-8601 date-time string in UTC, e.g. 2026-11-23T15:04:05.000Z.",
  // The contract graphql-scalars' DateTime follows; our values are its UTC form with milliseconds.
  specifiedByURL: "https://scalars.graphql.org/andimarek/date-time",
  // Every value we send is a valid Date from an entity: formatted here, not through graphql-scalars'
  // checks of every input shape (a few µs on each `me`). Anything else goes through those checks.
  serialize: (value) => (value instanceof Date ? isoString(value) : null) ?? dateTimeIso.serialize(value),
});
