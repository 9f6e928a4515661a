import fs from "node:fs";
import path from "node:path";
import { DataSource, QueryFailedError } from "typeorm";
import type { DatabaseConfig } from "../config";
import { ENTITIES } from "../entities";
import { MIGRATIONS } from "./migrations";

/**
 * The DataSource for either dialect. The schema comes from migrations only; synchronize stays off.
 * `forMigrations`: one PostgreSQL connection without the statement deadlines, for migrate.ts (a
 * migration may rightly run for minutes, and waits for another process's migrations), and no
 * entities (migrations write SQL: building the entities' metadata would only slow start-up).
 */
export function createDataSource(database: DatabaseConfig, { forMigrations = false } = {}): DataSource {
  if (database.kind === "sqlite") {
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    return new DataSource({
      type: "better-sqlite3",
      database: database.file,
      enableWAL: true,
      // Waits for a lock held by another process (the CLI, a second server) instead of failing at once.
      timeout: 5000,
      entities: forMigrations ? [] : ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
    });
  }
  const { limits } = database;
  return new DataSource({
    type: "postgres",
    url: database.url,
    entities: forMigrations ? [] : ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    poolSize: forMigrations ? 1 : limits.poolSize,
    // pg-pool applies it to opening a connection and to waiting for a free one in a full pool.
    connectTimeoutMS: limits.connectTimeoutMs,
    extra: {
      // A schema other than public is chosen through search_path, so every statement, the migrations
      // table included, lands in it without qualifying names.
      ...(database.schema ? { options: `-c search_path=${database.schema}` } : {}),
      ...(forMigrations
        ? {}
        : {
            statement_timeout: limits.statementTimeoutMs,
            idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
            // PostgreSQL's own statement_timeout cannot fire in a server that stopped answering
            // (frozen, or cut off by the network); this gives up on our side a moment after it.
            query_timeout: limits.statementTimeoutMs + 1000,
          }),
    },
  });
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
