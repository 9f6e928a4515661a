import { type MigrationInterface, type QueryRunner, TableIndex } from "typeorm";

/**
 * The security log is paged newest first by (created_at, id) and filtered by a time range: one index
 * on (account_id, created_at, id) serves both, and replaces the one on (account_id, id).
 */
export class AuditEventsByTime1764530000000 implements MigrationInterface {
  name = "AuditEventsByTime1764530000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      "audit_events",
      new TableIndex({ name: "idx_audit_events_account_time", columnNames: ["account_id", "created_at", "id"] }),
    );
    await queryRunner.dropIndex("audit_events", "idx_audit_events_account");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex("audit_events", new TableIndex({ name: "idx_audit_events_account", columnNames: ["account_id", "id"] }));
    await queryRunner.dropIndex("audit_events", "idx_audit_events_account_time");
  }
}
