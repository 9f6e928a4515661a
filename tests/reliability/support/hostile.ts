import fc from "fast-check";

/**
 * Hostile and malformed values for the fuzzer: what a careless or malicious client can put in a
 * GraphQL variable. Every value here survives JSON.stringify (lone surrogates are sent as \uXXXX
 * escapes), so it reaches the server as sent.
 */

/** BODY_LIMIT_BYTES (100 kB) in src/server.ts. Bodies are kept below it (see fitBody). */
export const BODY_LIMIT_BYTES = 100 * 1024;
/** Head-room for the query text and the JSON envelope. */
const BODY_BUDGET_BYTES = BODY_LIMIT_BYTES - 4 * 1024;

export const TRICKY_STRINGS: readonly string[] = [
  // empty, blank, control characters
  "",
  " ",
  "   ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "admin\u0000x",
  "\u0007\u001b[31m",
  "\r\nX-Injected: 1",
  "\u0085\u2028\u2029",
  // bidi, zero-width, invisible
  "\u202Eadmin",
  "user\u202Egnp.exe",
  "\u200Badmin",
  "ad\u200Dmin",
  "\uFEFFalice",
  "\u2060",
  "\u00AD",
  "\u180E",
  "\u3164",
  "\u115F",
  // lone and reversed surrogates
  "\uD800",
  "\uDFFF",
  "a\uD83Db",
  "\uDE00\uD83D",
  "x\uDBFF",
  // emoji, combining marks, look-alikes, full-width and other digits, case folding oddities
  "😀",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "e\u0301\u0301\u0301\u0301",
  "Z̸̡̢͎̈́͐a̵͉͝l̶̢͊g̷̙̾o̵̡͠",
  "Ａｄｍｉｎ",
  "аdmin",
  "ⅰⅱⅲ",
  "ß",
  "İstanbul",
  "ﬀ",
  "𝔞𝔡𝔪𝔦𝔫",
  "１３８１２３４５６７８",
  "１２３４５６",
  "٠١٢٣٤٥",
  "१२३४५६",
  "¹²³⁴⁵⁶",
  "张三",
  "阿卜杜·热合曼",
  "ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｃｏｍ",
  // SQL
  "' OR '1'='1",
  "'; DROP TABLE accounts; --",
  '" OR ""="',
  "1 UNION SELECT 1,2,3 --",
  "admin'--",
  "%' AND 1=1 AND '%'='",
  "1; SELECT pg_sleep(5)",
  "'||(SELECT sqlite_version())||'",
  "$1",
  "?",
  "\\",
  "\\'",
  "''",
  "%",
  "_",
  "%_%",
  // templates, formats, prototype names
  "%00",
  "%s%s%s%n",
  "{{7*7}}",
  "${7*7}",
  "<%= 7*7 %>",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  // HTML, URLs
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "https://user:pass@evil.example/",
  "http://127.0.0.1:22/",
  "file:///etc/passwd",
  "//evil.example",
  "https://evil.example@127.0.0.1/",
  "https://",
  "https://a",
  "https://[::1]/x",
  "https://xn--80ak6aa92e.com/",
  "../../../../etc/passwd",
  // numbers and keywords as strings
  "-1",
  "0",
  "-0",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "0x1F",
  "99999999999999999999999999",
  "2147483648",
  "-2147483649",
  "1.5",
  "null",
  "undefined",
  "true",
  "false",
  "[]",
  "{}",
  // dates
  "0000-00-00T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "1970-01-01T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "2026-11-23T15:04:05+25:00",
  "2026-11-23",
  // ids
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
  // addresses
  "+86 138 0000 0000",
  "+8613800000000",
  "008613912345678",
  "+1 202 555 0100",
  "+999999999999999",
  "13800138000",
  "a@b",
  "a@b.c",
  '"a b"@example.com',
  "user@[127.0.0.1]",
  "user@ｅｘａｍｐｌｅ.com",
  " User+Tag@EXAMPLE.COM ",
  "a@b@c",
  "@example.com",
  // codes and recovery codes
  "000000",
  "123456",
  "1234567",
  "12345",
  "０００００",
  "abcde-fghij",
  "ABCDE FGHIJ",
  "abcdefghij",
  // ID numbers (valid checksum, 15-digit legacy, future birth date)
  "11010519491231002X",
  "11010519491231002x",
  "110105491231002",
  "110105299912310023",
];

const trickyString = fc.constantFrom(...TRICKY_STRINGS);

const randomString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  // includes lone surrogates: any UTF-16 code unit
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 }).map((units) => String.fromCharCode(...units)),
);

/** Past every length limit (usernames 32, passwords 128, addresses 320, URLs 2048), still small. */
const longString = fc
  .tuple(fc.integer({ min: 33, max: 6000 }), fc.constantFrom("a", "1", "é", "😀", "\u200B", "'", "<", "张", "\u0000"))
  .map(([n, c]) => c.repeat(n));

/** Tens of kilobytes: the largest bodies the server accepts. */
const hugeString = fc
  .tuple(fc.integer({ min: 20_000, max: 90_000 }), fc.constantFrom("A", "9", "x@", "'", "é"))
  .map(([bytes, c]) => c.repeat(Math.floor(bytes / Buffer.byteLength(c))));

const hostileNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    -0.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 31 - 1,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    1e21,
    1e-300,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
  ),
  fc.integer(),
  // NaN and Infinity become null in JSON
  fc.double(),
);

/** Objects that try prototype pollution once JSON.parse'd on the server. */
const pollutingObject = fc.constantFrom(
  JSON.parse('{"__proto__": {"polluted": "yes"}}') as object,
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as object,
  JSON.parse('{"__proto__": {"toString": "x", "roles": "SUPPORT"}}') as object,
);

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Deep structures, to find recursion without a bound. */
const deepStructure = fc.constantFrom(nested(50), nested(500), nested(2000));

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: trickyString, weight: 6 },
  { arbitrary: randomString, weight: 4 },
  { arbitrary: longString, weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 2 },
);

/** Objects and arrays where a scalar is expected (and the reverse). */
const hostileStructure: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(hostileScalar, { maxLength: 4 }),
  fc.dictionary(fc.oneof(trickyString, fc.string({ maxLength: 8 })), hostileScalar, { maxKeys: 4 }),
  fc.constantFrom({}, [], [[]], [null], [{}], { id: "x" }),
  pollutingObject,
  deepStructure,
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileScalar, weight: 5 },
  { arbitrary: hostileStructure, weight: 2 },
);

/** A plausible value with a tricky string glued to its start, middle or end (non-strings pass unchanged). */
function mutated(plausible: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(plausible, fc.oneof(trickyString, fc.constantFrom("\u200B", "\u202E", "\u0000", " ", "Ａ", "'")), fc.nat())
    .map(([value, trick, at]) => {
      if (typeof value !== "string") return value;
      const position = at % (value.length + 1);
      return value.slice(0, position) + trick + value.slice(position);
    });
}

/** A fuzzed value that knows its plausible form, so a request can be built with only one field hostile. */
export type Fuzzed = fc.Arbitrary<unknown> & { readonly plausible?: fc.Arbitrary<unknown> };

/**
 * One argument: often plausible (so the fuzzer gets past the first validation and into the
 * services), often hostile, sometimes plausible with a trick inside.
 */
export function arg(plausible: fc.Arbitrary<unknown>, mutable = true): Fuzzed {
  const fuzzed = fc.oneof(
    { arbitrary: hostileValue, weight: 3 },
    { arbitrary: plausible, weight: 5 },
    ...(mutable ? [{ arbitrary: mutated(plausible), weight: 2 }] : []),
  );
  return Object.assign(fuzzed, { plausible });
}

/** Sometimes missing (JSON.stringify drops undefined). */
export function maybeMissing(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.option(value, { nil: undefined, freq: 10 });
}

function plausibleOf(field: Fuzzed): fc.Arbitrary<unknown> {
  return field.plausible ?? field;
}

function mapFields<T>(fields: Record<string, Fuzzed>, f: (field: Fuzzed, name: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, f(field, name)]));
}

/**
 * The arguments of one operation (or the fields of an input object), in three mixes: every field
 * fuzzed (each sometimes missing); exactly one field hostile or missing and the rest plausible (the
 * mix that reaches deepest); all plausible.
 */
export function fuzzVars(fields: Record<string, Fuzzed>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(fields);
  if (names.length === 0) return fc.constant({});
  const everyField = fc.record(mapFields(fields, (field) => maybeMissing(field)));
  const oneField = fc
    .constantFrom(...names)
    .chain((target) =>
      fc.record(
        mapFields(fields, (field, name) => (name === target ? fc.oneof(hostileValue, fc.constant(undefined), field) : plausibleOf(field))),
      ),
    );
  const allPlausible = fc.record(mapFields(fields, plausibleOf));
  return fc.oneof({ arbitrary: everyField, weight: 3 }, { arbitrary: oneField, weight: 3 }, { arbitrary: allPlausible, weight: 1 });
}

/**
 * An input object: its fields fuzzed (see fuzzVars), sometimes with unknown extra fields, or the
 * whole object replaced by a hostile value.
 */
export function inputObject(fields: Record<string, Fuzzed>): Fuzzed {
  const extra = fc.option(
    fc.dictionary(fc.oneof(trickyString, fc.constantFrom("__proto__", "id", "roles", "accountId")), hostileScalar, { maxKeys: 2 }),
    { freq: 5 },
  );
  const fuzzed = fc.oneof(
    { arbitrary: fc.tuple(fuzzVars(fields), extra).map(([value, more]) => (more ? { ...more, ...value } : value)), weight: 6 },
    { arbitrary: hostileValue, weight: 1 },
  );
  return Object.assign(fuzzed, { plausible: fc.record(mapFields(fields, plausibleOf)) });
}

/** Header values fetch sends (latin-1 without control characters other than tab) that are not a valid token. */
export const hostileAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    "Bearer",
    "Bearer ",
    "Bearer  ",
    "bearer x",
    "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    "Bearer ses_",
    "Bearer ak_",
    "Bearer ses_' OR '1'='1",
    `Bearer ses_${"0".repeat(64)}`,
    `Bearer ak_${"f".repeat(64)}`,
    `Bearer ${"A".repeat(8000)}`,
    "Bearer ses_ é",
    "Bearer a b c",
    "Bearer ../../etc/passwd",
    "Bearer %00",
    "Bearer null",
    "Bearer undefined",
    "Bearer [object Object]",
  ),
  // eslint-disable-next-line no-control-regex -- drops the control characters a header cannot carry
  fc.string({ maxLength: 80 }).map((s) => `Bearer ${s.replace(/[\0-\x08\n-\x1f\x7f]/g, "")}`),
  fc
    .array(fc.integer({ min: 0x20, max: 0xff }), { maxLength: 60 })
    .map((codes) => `Bearer ${String.fromCharCode(...codes.filter((c) => c !== 0x7f))}`),
);

function byteLength(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body));
}

/** The longest string anywhere in a value, with a setter to replace it. */
function longestString(value: unknown): { length: number; set: (s: string) => void; get: () => string } | undefined {
  let best: { length: number; set: (s: string) => void; get: () => string } | undefined;
  const visit = (holder: Record<string | number, unknown>, key: string | number, depth: number) => {
    const current = holder[key];
    if (typeof current === "string") {
      if (!best || current.length > best.length)
        best = { length: current.length, get: () => holder[key] as string, set: (s) => (holder[key] = s) };
    } else if (current && typeof current === "object" && depth < 64) {
      for (const child of Object.keys(current)) visit(current as Record<string, unknown>, child, depth + 1);
    }
  };
  visit({ root: value }, "root", 0);
  return best;
}

/**
 * Keeps a request body under the 100 kB limit by halving its longest strings: several huge
 * values in one request would otherwise add up past it (a body over the limit has its own test).
 */
export function fitBody<T extends object>(body: T): T {
  for (let i = 0; i < 64 && byteLength(body) > BODY_BUDGET_BYTES; i++) {
    const longest = longestString(body);
    if (!longest || longest.length < 2) break;
    longest.set(longest.get().slice(0, Math.floor(longest.length / 2)));
  }
  return body;
}

/** Every string anywhere in a value (to tell echoed input from leaked internals). */
export function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object" && depth < 2100) for (const child of Object.values(value)) stringsIn(child, out, depth + 1);
  return out;
}
