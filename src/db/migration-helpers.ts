import { type QueryRunner, TableForeignKey } from "typeorm";

/**
 * Migrations are written once for both dialects with TypeORM's Table API; the few types that differ
 * are chosen here. PostgreSQL keeps instants as timestamptz (milliseconds, zone-safe); SQLite as
 * datetime text that TypeORM writes as UTC "YYYY-MM-DD HH:MM:SS.SSS".
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === "postgres" ? "timestamptz" : "datetime";
}

/** `account_id` referencing accounts, removed with the account. */
export function accountForeignKey(table: string): TableForeignKey {
  return new TableForeignKey({
    name: `fk_${table}_account`,
    columnNames: ["account_id"],
    referencedTableName: "accounts",
    referencedColumnNames: ["id"],
    onDelete: "CASCADE",
  });
}
