// better-sqlite3 ships no types (TypeORM's driver uses it untyped too).
type SqliteDatabase = new (
  file: string,
  options: { fileMustExist: boolean; timeout: number },
) => {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped, so required with the type above
const Database = require("better-sqlite3") as SqliteDatabase;
import { Client } from "pg";

/** Plain SQL on the database a server process uses (DATABASE_URL, DATABASE_SCHEMA), outside the server. */
export interface SqlDb {
  readonly kind: "sqlite" | "postgres";
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function openDb(env: Record<string, string>): Promise<SqlDb> {
  const url = env.DATABASE_URL;
  if (url.startsWith("sqlite:")) {
    // Read-write: opening replays (recovers) a WAL left behind by a killed process, as the server would.
    const db = new Database(url.slice("sqlite:".length), { fileMustExist: true, timeout: 5000 });
    return {
      kind: "sqlite",
      all: <T>(sql: string) => Promise.resolve(db.prepare(sql).all() as T[]),
      close: () => Promise.resolve(db.close()),
    };
  }
  const client = new Client({ connectionString: url, options: env.DATABASE_SCHEMA ? `-c search_path=${env.DATABASE_SCHEMA}` : undefined });
  await client.connect();
  return {
    kind: "postgres",
    all: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}

/**
 * The database's own consistency check: SQLite's `PRAGMA integrity_check` and `foreign_key_check`;
 * on PostgreSQL, that no index of the schema was left invalid. Returns the problems found.
 */
export async function engineIntegrityProblems(db: SqlDb, schema?: string): Promise<string[]> {
  if (db.kind === "sqlite") {
    const integrity = await db.all<{ integrity_check: string }>("PRAGMA integrity_check");
    const foreignKeys = await db.all("PRAGMA foreign_key_check");
    return [
      ...(integrity.length === 1 && integrity[0].integrity_check === "ok" ? [] : [`integrity_check: ${JSON.stringify(integrity)}`]),
      ...(foreignKeys.length ? [`foreign_key_check: ${JSON.stringify(foreignKeys)}`] : []),
    ];
  }
  const invalid = await db.all(
    `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = '${schema ?? "public"}' AND NOT (i.indisvalid AND i.indisready)`,
  );
  return invalid.length ? [`invalid indexes: ${JSON.stringify(invalid)}`] : [];
}
