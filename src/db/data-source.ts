import fs from "node:fs";
import path from "node:path";
import { DataSource, QueryFailedError } from "typeorm";
import type { DatabaseConfig } from "../config";
import { ENTITIES } from "../entities";
import { MIGRATIONS } from "./migrations";

/** The DataSource for either dialect. The schema comes from migrations only; synchronize stays off. */
export function createDataSource(database: DatabaseConfig): DataSource {
  if (database.kind === "sqlite") {
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    return new DataSource({
      type: "better-sqlite3",
      database: database.file,
      enableWAL: true,
      // Waits for a lock held by another process (the CLI, a second server) instead of failing at once.
      timeout: 5000,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
    });
  }
  return new DataSource({
    type: "postgres",
    url: database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    // A schema other than public is chosen through search_path, so every statement, the migrations
    // table included, lands in it without qualifying names.
    extra: database.schema ? { options: `-c search_path=${database.schema}` } : undefined,
  });
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
