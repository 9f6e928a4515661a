import { DateTimeScalar } from "../../src/graphql/scalars";

describe("DateTime serialises as Date.prototype.toISOString does", () => {
  it("for dates at the edges of each field and across the years 1000-9999", () => {
    const edges = [
      "1000-01-01T00:00:00.000Z",
      "1970-01-01T00:00:00.000Z",
      "1999-12-31T23:59:59.999Z",
      "2000-02-29T09:08:07.006Z",
      "2026-11-23T15:04:05.010Z",
      "2026-11-23T15:04:05.099Z",
      "2026-11-23T15:04:05.100Z",
      "9999-12-31T23:59:59.999Z",
    ].map((text) => new Date(text));
    const start = Date.parse("1000-01-01T00:00:00.000Z");
    const span = Date.parse("9999-12-31T23:59:59.999Z") - start;
    // A fixed spread of instants (every field takes many values), so a failure is repeatable.
    const spread = Array.from(
      { length: 20_000 },
      (_unused, k) => new Date(start + Math.floor(((k * 7919) % 20_000) * (span / 20_000)) + k),
    );
    const dates = [...edges, ...spread];
    expect(dates.map((date) => DateTimeScalar.serialize(date))).toEqual(dates.map((date) => date.toISOString()));
  });

  it("for years outside 1000-9999, and refuses an invalid date as graphql-scalars does", () => {
    for (const text of ["0999-12-31T23:59:59.999Z", "+010000-01-01T00:00:00.000Z", "-000001-06-15T12:00:00.000Z"]) {
      const date = new Date(text);
      expect(DateTimeScalar.serialize(date)).toBe(date.toISOString());
    }
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow();
  });
});
