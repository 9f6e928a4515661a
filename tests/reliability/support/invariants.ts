import type { DataSource } from "typeorm";
import { publishedEnum } from "../../helpers/published-schema";
import { stringsIn } from "./hostile";

/** What a client may see in `extensions.code`: the schema's ErrorCode enum without INTERNAL_SERVER_ERROR. */
export const ALLOWED_CODES: ReadonlySet<string> = new Set(publishedEnum("ErrorCode").filter((code) => code !== "INTERNAL_SERVER_ERROR"));
const FIELD_ERROR_CODES: ReadonlySet<string> = new Set(publishedEnum("FieldErrorCode"));

/**
 * Text that only the server's inside produces: stack frames, file paths, driver and ORM names,
 * database error messages of SQLite and PostgreSQL.
 */
export const INTERNAL_TEXT: readonly RegExp[] = [
  /\bat [^\n"]*\.(?:js|ts):\d+/, // stack frame
  /\n\s+at /, // stack frame
  /node_modules/,
  /\/work\/|\/src\/[\w/-]+\.(?:js|ts)|dist\/src/, // paths of this project
  /QueryFailedError|EntityNotFound|EntityMetadataNotFound|TypeORMError|CannotCreateEntityIdMap|DriverError/,
  /SQLITE_[A-Z]+/,
  /better-sqlite3|\bsqlite3\b|\bpg-pool\b|\bnode-postgres\b/i,
  /syntax error at or near|duplicate key value|violates (?:unique|foreign key|not-null|check) constraint|null value in column|invalid input syntax for type|value too long for type|out of range for type|relation "[^"]+" does not exist|column "[^"]+" (?:of relation|does not exist)/i,
  /no such (?:table|column)|UNIQUE constraint failed|NOT NULL constraint failed|FOREIGN KEY constraint failed|CHECK constraint failed|datatype mismatch|database is locked/i,
  /\b(?:INSERT INTO|DELETE FROM|UPDATE "?\w+"? SET|SELECT [\w".*, ]+ FROM "?\w+"?)/,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/,
  /TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|Maximum call stack/,
];

export interface FuzzResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
}

/** Every answer within this: a request that takes longer ties up the server (and the suite). */
export const RESPONSE_TIMEOUT_MS = 10_000;

export async function postGraphQL(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = RESPONSE_TIMEOUT_MS,
): Promise<FuzzResponse> {
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `no HTTP response after ${Date.now() - started} ms: ${(error as Error).message} (${cause?.code ?? ""} ${cause?.message ?? ""})`,
    );
  }
  const text = await response.text();
  let json: FuzzResponse["json"];
  try {
    json = JSON.parse(text) as FuzzResponse["json"];
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text, json };
}

/**
 * Long repetitions cut to four repeats of their unit ("aaaa…a" -> "aaaa", "x@x@…" -> "x@x@x@x@"): the
 * fuzzer's long strings are repetitions, and searching a 100 kB response for a 90 kB echo of one
 * (or running the patterns over it) would take seconds.
 */
function collapse(text: string): string {
  return text.replace(/([\s\S]{1,8}?)\1{4,}/g, "$1$1$1$1");
}

/**
 * The response text with every string the request sent taken out: the server may echo a submitted
 * value in a message (graphql-js does for variables of the wrong type), which is not a leak even
 * when the value looks like SQL.
 */
function withoutEcho(text: string, sent: unknown): string {
  const strings = [
    ...new Set(
      stringsIn(sent)
        .map(collapse)
        .filter((s) => s.length >= 3),
    ),
  ].sort((a, b) => b.length - a.length);
  let rest = collapse(text);
  for (const s of strings) {
    // as sent, as a JSON string's content, and as the content of a JSON string inside a JSON string
    for (const form of [JSON.stringify(JSON.stringify(s)).slice(3, -3), JSON.stringify(s).slice(1, -1), s].map(collapse)) {
      if (form.length >= 3) rest = rest.split(form).join("");
    }
  }
  return rest;
}

/** Why this response breaks the contract of the schema's ErrorCode and FieldErrorCode enums, or [] when it keeps it. */
export function contractViolations(response: FuzzResponse, sent: unknown): string[] {
  const problems: string[] = [];
  if (response.status !== 200 && response.status !== 400) problems.push(`HTTP ${response.status}`);
  if (!response.contentType.startsWith("application/json")) problems.push(`content-type ${response.contentType}`);
  if (!response.json) problems.push("body is not JSON");
  const leaked = INTERNAL_TEXT.filter((pattern) => pattern.test(withoutEcho(response.text, sent)));
  if (leaked.length) problems.push(`internal text in the response: ${leaked.map(String).join(", ")}`);
  for (const error of response.json?.errors ?? []) {
    const code = error.extensions?.code;
    if (code === "INTERNAL_SERVER_ERROR") problems.push("INTERNAL_SERVER_ERROR");
    else if (typeof code !== "string") problems.push(`an error without extensions.code: ${error.message}`);
    else if (!ALLOWED_CODES.has(code)) problems.push(`code ${code} is not in the ErrorCode enum`);
    if (code === "BAD_USER_INPUT") {
      const fieldErrors = error.extensions?.fieldErrors as
        { field?: unknown; code?: unknown; params?: unknown; messages?: unknown }[] | undefined;
      const wellFormed =
        Array.isArray(fieldErrors) &&
        fieldErrors.length > 0 &&
        fieldErrors.every(
          (f) =>
            typeof f.field === "string" &&
            typeof f.code === "string" &&
            FIELD_ERROR_CODES.has(f.code) &&
            typeof f.params === "object" &&
            f.params !== null &&
            Array.isArray(f.messages) &&
            f.messages.every((m) => typeof m === "string"),
        );
      if (!wellFormed) problems.push(`BAD_USER_INPUT without well-formed fieldErrors: ${JSON.stringify(error.extensions)}`);
    }
    if (code === "RATE_LIMITED" && typeof error.extensions?.retryAfterSeconds !== "number")
      problems.push("RATE_LIMITED without retryAfterSeconds");
  }
  if (response.json && !response.json.errors?.length && response.json.data == null) problems.push("neither data nor errors");
  return problems;
}

export function errorCodes(response: FuzzResponse): string[] {
  return (response.json?.errors ?? []).map((error) => String(error.extensions?.code));
}

/** A failed request may leave these behind, and nothing else: README says failed tries are in the security log. */
export const FAILURE_AUDIT_TYPES: ReadonlySet<string> = new Set(["SIGN_IN_FAILED", "PASSWORD_CHANGE_FAILED", "CODE_FAILED"]);

export interface DbSnapshot {
  readonly counts: Record<string, number>;
  /**
   * Every audit event's type by id, read in one statement: failure records are written after the answer,
   * so one may land between two reads of a snapshot, and only a set of ids read at once says which rows are new.
   */
  readonly audit: ReadonlyMap<number, string>;
  /** Full rows of the watched accounts. */
  readonly accounts: Record<string, unknown>;
  /** The watched accounts' sessions, without the columns a request may slide forward (last_seen_at, expires_at). */
  readonly sessions: Record<string, unknown>;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Counts of every table (the migrations table included) and the rows of the watched accounts. */
export async function snapshot(dataSource: DataSource, watchedAccountIds: readonly string[]): Promise<DbSnapshot> {
  const tables = [...dataSource.entityMetadatas.map((m) => m.tableName), "migrations"].sort();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${quote(table)}`);
    counts[table] = Number(row.n);
  }
  const auditRows: { id: number | string; type: string }[] = await dataSource.query(`SELECT id, type FROM "audit_events"`);
  const accounts: Record<string, unknown> = {};
  const sessions: Record<string, unknown> = {};
  for (const id of watchedAccountIds) {
    accounts[id] = normalise(await dataSource.query(`SELECT * FROM "accounts" WHERE id = ${param(dataSource, 1)}`, [id]));
    const rows = await dataSource.query(
      `SELECT id, account_id, token_hash, created_at, step_up_at, ip, user_agent FROM "sessions" WHERE account_id = ${param(dataSource, 1)} ORDER BY id`,
      [id],
    );
    sessions[id] = normalise(rows);
  }
  return { counts, audit: new Map(auditRows.map((row) => [Number(row.id), row.type])), accounts, sessions };
}

function param(dataSource: DataSource, index: number): string {
  return dataSource.options.type === "postgres" ? `$${index}` : "?";
}

function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (v instanceof Date ? v.toISOString() : v)));
}

/**
 * What changed between two snapshots around a failed request, besides the failure records README
 * allows (new audit events of FAILURE_AUDIT_TYPES). Empty when nothing else changed.
 */
export function unexpectedChanges(before: DbSnapshot, after: DbSnapshot): string[] {
  const changes: string[] = [];
  const unexpectedAudit = [...after.audit].filter(([id, type]) => !before.audit.has(id) && !FAILURE_AUDIT_TYPES.has(type));
  if (unexpectedAudit.length) changes.push(`audit events written: ${unexpectedAudit.map(([, type]) => type).join(", ")}`);
  const removedAudit = [...before.audit.keys()].filter((id) => !after.audit.has(id));
  if (removedAudit.length) changes.push(`audit events removed: ${removedAudit.length}`);
  for (const table of Object.keys(before.counts)) {
    if (table === "audit_events") continue; // compared by id above
    if (after.counts[table] !== before.counts[table]) {
      changes.push(`${table}: ${before.counts[table]} rows before, ${after.counts[table]} after`);
    }
  }
  for (const id of Object.keys(before.accounts)) {
    if (JSON.stringify(before.accounts[id]) !== JSON.stringify(after.accounts[id])) {
      changes.push(`account ${id} changed: ${JSON.stringify(before.accounts[id])} -> ${JSON.stringify(after.accounts[id])}`);
    }
    if (JSON.stringify(before.sessions[id]) !== JSON.stringify(after.sessions[id])) changes.push(`sessions of account ${id} changed`);
  }
  return changes;
}
