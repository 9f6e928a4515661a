import { randomBytes, randomUUID } from "node:crypto";
import type { DataSource, QueryRunner } from "typeorm";
import { sha256Hex } from "../src/core/crypto";
import { API_KEY_PREFIX } from "../src/modules/api-key/api-key.service";
import { SESSION_TOKEN_PREFIX } from "../src/modules/session/session.service";

/**
 * Bulk seeding straight into the database (not through the API): multi-row INSERTs, one transaction
 * per batch. Every account gets the same bcrypt hash (made once, at the configured cost, by
 * PasswordHasher) and one session; some accounts also get an API key. Column names and value formats
 * follow src/db/migrations and what TypeORM writes: SQLite instants as UTC "YYYY-MM-DD HH:MM:SS.SSS",
 * PostgreSQL ones as timestamptz.
 */

export type Dialect = "sqlite" | "postgres";

export interface SeedOptions {
  readonly dialect: Dialect;
  readonly accounts: number;
  /** bcrypt hash of BENCH_PASSWORD, reused for every row. */
  readonly passwordHash: string;
  /** How many session tokens to keep (spread evenly over the accounts) for `me`. */
  readonly meTokens: number;
  /** How many API keys to create (spread evenly over the accounts). */
  readonly apiKeys: number;
  /** Keep every account's session token (for the write path, which uses each account once). */
  readonly keepAllTokens: boolean;
  /** The first this many accounts (the write path takes accounts from the last one down) are returned as `rich`. */
  readonly richAccounts: number;
  readonly log: (message: string) => void;
}

export interface SeedResult {
  readonly accounts: number;
  readonly sessions: number;
  readonly apiKeys: number;
  readonly seconds: number;
  readonly accountsPerSecond: number;
  /** Tokens for `me`, spread over the accounts, and their session ids (to keep them fresh). */
  readonly meTokens: string[];
  readonly meSessionIds: string[];
  /** Every account's token, index = account number, when keepAllTokens (else empty). */
  readonly allTokens: string[];
  readonly apiKeySecrets: string[];
  readonly apiKeyIds: string[];
  /** The first `richAccounts` accounts: their ids, session tokens and session ids. */
  readonly rich: { readonly accountIds: string[]; readonly tokens: string[]; readonly sessionIds: string[] };
}

export const BENCH_PASSWORD = "correct horse battery staple";

/** `user0000042`: matches the username rules, never reads as a phone number. */
export function username(index: number): string {
  return `user${String(index).padStart(7, "0")}`;
}

/** What TypeORM writes for a Date on each dialect. */
export function timestamp(dialect: Dialect, date: Date): string | Date {
  return dialect === "sqlite" ? date.toISOString().replace("T", " ").replace("Z", "") : date;
}

/** Column name and its PostgreSQL type (for unnest). */
type Columns = ReadonlyArray<readonly [string, "text" | "timestamptz" | "boolean"]>;

const ACCOUNT_COLUMNS: Columns = [
  ["id", "text"],
  ["username", "text"],
  ["username_normalized", "text"],
  ["password_hash", "text"],
  ["password_changed_at", "timestamptz"],
  ["avatar_url", "text"],
  ["two_step_enabled", "boolean"],
  ["roles", "text"],
  ["created_at", "timestamptz"],
  ["updated_at", "timestamptz"],
];
const SESSION_COLUMNS: Columns = [
  ["id", "text"],
  ["account_id", "text"],
  ["token_hash", "text"],
  ["created_at", "timestamptz"],
  ["last_seen_at", "timestamptz"],
  ["expires_at", "timestamptz"],
  ["step_up_at", "timestamptz"],
  ["ip", "text"],
  ["user_agent", "text"],
];
const API_KEY_COLUMNS: Columns = [
  ["id", "text"],
  ["account_id", "text"],
  ["name", "text"],
  ["prefix", "text"],
  ["key_hash", "text"],
  ["scopes", "text"],
  ["created_at", "timestamptz"],
  ["last_used_at", "timestamptz"],
  ["expires_at", "timestamptz"],
];

/** Rows per SQLite INSERT statement (it allows 32766 bound values) and per transaction. */
const SQLITE_ROWS_PER_STATEMENT = 2000;
const ROWS_PER_TRANSACTION = 20_000;

/**
 * SQLite: multi-row INSERT ... VALUES. PostgreSQL: one INSERT ... SELECT FROM unnest($1::text[], ...)
 * per table and batch, so the statement has one parameter per column whatever the row count.
 */
async function insertRows(runner: QueryRunner, dialect: Dialect, table: string, columns: Columns, rows: unknown[][]): Promise<void> {
  const names = columns.map(([name]) => name).join(",");
  if (dialect === "postgres") {
    const arrays = columns.map((_column, index) => rows.map((row) => row[index]));
    const unnest = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(",");
    await runner.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, arrays);
    return;
  }
  for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
    const tuple = `(${columns.map(() => "?").join(",")})`;
    await runner.query(`INSERT INTO ${table} (${names}) VALUES ${chunk.map(() => tuple).join(",")}`, chunk.flat());
  }
}

/** `<prefix>_` + base64url of 32 random bytes, as src/core/crypto.ts randomToken makes them; random bytes drawn in bulk. */
class TokenSource {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(prefix: string): string {
    if (this.offset + 32 > this.pool.length) {
      this.pool = randomBytes(32 * 4096);
      this.offset = 0;
    }
    const token = `${prefix}_${this.pool.subarray(this.offset, this.offset + 32).toString("base64url")}`;
    this.offset += 32;
    return token;
  }
}

/** Evenly spread picks of `count` indexes out of `total`. */
function spread(total: number, count: number): Set<number> {
  const picks = new Set<number>();
  const n = Math.min(total, count);
  for (let k = 0; k < n; k++) picks.add(Math.floor((k * total) / n));
  return picks;
}

export async function seed(dataSource: DataSource, options: SeedOptions): Promise<SeedResult> {
  const { dialect, accounts, passwordHash, log } = options;
  const started = process.hrtime.bigint();
  const now = new Date();
  const ts = (date: Date) => timestamp(dialect, date);
  const meIndexes = spread(accounts, options.meTokens);
  const keyIndexes = spread(accounts, options.apiKeys);
  const result = {
    meTokens: [] as string[],
    meSessionIds: [] as string[],
    allTokens: [] as string[],
    apiKeySecrets: [] as string[],
    apiKeyIds: [] as string[],
    rich: { accountIds: [] as string[], tokens: [] as string[], sessionIds: [] as string[] },
  };

  const tokens = new TokenSource();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Seeding only, on this connection: no fsync per commit, and no foreign-key check per row (every
    // session and key is inserted after its account, in the same transaction).
    if (dialect === "sqlite") {
      await runner.query("PRAGMA synchronous = OFF");
      await runner.query("PRAGMA foreign_keys = OFF");
      await runner.query("PRAGMA cache_size = -262144");
      await runner.query("PRAGMA temp_store = MEMORY");
    } else {
      await runner.query("SET synchronous_commit = off");
      await runner.query("SET session_replication_role = replica");
    }
    const seenNow = ts(now);
    const sessionCreated = ts(new Date(now.getTime() - 3600_000));
    const sessionExpires = ts(new Date(now.getTime() + 7 * 86400_000));
    const notTwoStep = dialect === "sqlite" ? 0 : false;
    const yearMs = 365 * 86400_000;
    let lastReport = Date.now();
    for (let first = 0; first < accounts; first += ROWS_PER_TRANSACTION) {
      const last = Math.min(accounts, first + ROWS_PER_TRANSACTION);
      const accountRows: unknown[][] = [];
      const sessionRows: unknown[][] = [];
      const keyRows: unknown[][] = [];
      for (let i = first; i < last; i++) {
        const id = randomUUID();
        const name = username(i);
        const created = ts(new Date(now.getTime() - yearMs + Math.floor((i / accounts) * (yearMs - 86400_000))));
        accountRows.push([
          id,
          name,
          name.toLowerCase(),
          passwordHash,
          created,
          `https://cdn.example.com/avatars/${i}.png`,
          notTwoStep,
          "",
          created,
          created,
        ]);
        const token = tokens.next(SESSION_TOKEN_PREFIX);
        const sessionId = randomUUID();
        // Seen just now: `me` measures readers active within the last minute, whose requests do not
        // write last_seen_at (the server touches a session at most once a minute).
        sessionRows.push([sessionId, id, sha256Hex(token), sessionCreated, seenNow, sessionExpires, null, "127.0.0.1", "bench"]);
        if (meIndexes.has(i)) {
          result.meTokens.push(token);
          result.meSessionIds.push(sessionId);
        }
        if (options.keepAllTokens) result.allTokens.push(token);
        if (i < options.richAccounts) {
          result.rich.accountIds.push(id);
          result.rich.tokens.push(token);
          result.rich.sessionIds.push(sessionId);
        }
        if (keyIndexes.has(i)) {
          const secret = tokens.next(API_KEY_PREFIX);
          const keyId = randomUUID();
          keyRows.push([
            keyId,
            id,
            "bench",
            secret.slice(0, API_KEY_PREFIX.length + 1 + 8),
            sha256Hex(secret),
            "account:read",
            created,
            seenNow,
            null,
          ]);
          result.apiKeySecrets.push(secret);
          result.apiKeyIds.push(keyId);
        }
      }
      await runner.startTransaction();
      try {
        await insertRows(runner, dialect, "accounts", ACCOUNT_COLUMNS, accountRows);
        await insertRows(runner, dialect, "sessions", SESSION_COLUMNS, sessionRows);
        if (keyRows.length) await insertRows(runner, dialect, "api_keys", API_KEY_COLUMNS, keyRows);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        log(`  seeded ${last.toLocaleString("en-US")} / ${accounts.toLocaleString("en-US")} accounts (${seconds.toFixed(0)} s)`);
      }
    }
    if (dialect === "sqlite") {
      await runner.query("PRAGMA synchronous = FULL");
      await runner.query("PRAGMA foreign_keys = ON");
      await runner.query("PRAGMA wal_checkpoint(TRUNCATE)");
    } else {
      await runner.query("SET synchronous_commit = on");
      await runner.query("SET session_replication_role = origin");
    }
    // Fresh statistics (and, on PostgreSQL, the visibility map), as autovacuum would soon make them:
    // otherwise autovacuum wakes up on the freshly loaded tables in the middle of a measurement.
    await runner.query(dialect === "sqlite" ? "ANALYZE" : "VACUUM (ANALYZE) accounts, sessions, api_keys");
  } finally {
    await runner.release();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    accounts,
    sessions: accounts,
    apiKeys: result.apiKeyIds.length,
    seconds: Math.round(seconds * 10) / 10,
    accountsPerSecond: Math.round(accounts / seconds),
    ...result,
  };
}

/**
 * Marks the sessions and keys `me` will use as seen just now, right before a scenario, so its
 * requests are the steady-state reads of active users (a session is touched at most once a minute;
 * without this, the first use of each token after a minute is also a write).
 */
export async function freshen(dataSource: DataSource, dialect: Dialect, sessionIds: string[], apiKeyIds: string[]): Promise<void> {
  const now = timestamp(dialect, new Date());
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    for (const [table, column, ids] of [
      ["sessions", "last_seen_at", sessionIds],
      ["api_keys", "last_used_at", apiKeyIds],
    ] as const) {
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const marks = chunk.map((_id, k) => (dialect === "sqlite" ? "?" : `$${k + 2}`)).join(",");
        await runner.query(`UPDATE ${table} SET ${column} = ${dialect === "sqlite" ? "?" : "$1"} WHERE id IN (${marks})`, [now, ...chunk]);
      }
    }
  } finally {
    await runner.release();
  }
}
