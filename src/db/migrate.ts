import { MigrationExecutor, QueryFailedError, type DataSource, type QueryRunner } from "typeorm";
import type { DatabaseConfig } from "../config";
import { createDataSource } from "./data-source";

/**
 * Applies pending migrations, safely when any number of processes start at once: on PostgreSQL
 * under an advisory lock (held by this connection until it ends), so the first one migrates and
 * the others wait, then find nothing pending; SQLite is one process by definition and its file
 * lock serializes writers anyway. Creates DATABASE_SCHEMA when it is missing. Every start path
 * (main.ts, the test server, `npm run migration:run`) goes through here. Returns the names applied.
 *
 * `serverDataSource`, the caller's own (initialized): SQLite migrates on it, which saves a start-up
 * the time to open a second one; PostgreSQL always opens a connection of its own, for the lock and
 * without the statement deadlines.
 */
export async function migrate(database: DatabaseConfig, serverDataSource?: DataSource): Promise<string[]> {
  const own = database.kind === "postgres" || !serverDataSource;
  const dataSource = own ? createDataSource(database, { forMigrations: true }) : serverDataSource;
  if (own) await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  try {
    if (database.kind === "postgres") {
      // One lock per schema: deployments in other schemas of the same database migrate freely.
      await queryRunner.query("SELECT pg_advisory_lock(hashtext($1))", [`account-platform/migrations/${database.schema ?? "public"}`]);
      if (database.schema) await ensureSchema(queryRunner, database.schema);
    }
    const executor = new MigrationExecutor(dataSource, queryRunner);
    executor.transaction = "all";
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    // Ending the session releases the advisory lock, even after a failed migration.
    await queryRunner.release();
    if (own) await dataSource.destroy();
  }
}

/** Creates the schema when missing; a role without CREATE on the database gets the one line to run instead. */
async function ensureSchema(queryRunner: QueryRunner, schema: string): Promise<void> {
  const found = (await queryRunner.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])) as unknown[];
  if (found.length > 0) return;
  try {
    await queryRunner.query(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
    if (code !== "42501") throw error;
    const [{ role }] = (await queryRunner.query("SELECT current_user AS role")) as Array<{ role: string }>;
    throw new Error(
      `DATABASE_SCHEMA "${schema}" does not exist and role "${role}" may not create it; as the database owner run: CREATE SCHEMA ${schema} AUTHORIZATION "${role}";`,
    );
  }
}
