import type { QueryRunner } from "typeorm";

/**
 * Migrations are written once for both dialects with TypeORM's Table API; the few types that differ
 * are chosen here. PostgreSQL keeps instants as timestamptz (milliseconds, zone-safe); SQLite as
 * datetime text that TypeORM writes as UTC "YYYY-MM-DD HH:MM:SS.SSS".
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === "postgres" ? "timestamptz" : "datetime";
}
