import { type MigrationInterface, type QueryRunner, Table } from "typeorm";
import { accountForeignKey, timestampType } from "../migration-helpers";

/** Accounts, their sessions and their security log. */
export class Foundation1763900000000 implements MigrationInterface {
  name = "Foundation1763900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: "accounts",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "username", type: "varchar", length: "64" },
          { name: "username_normalized", type: "varchar", length: "64" },
          { name: "password_hash", type: "varchar", length: "100", isNullable: true },
          { name: "password_changed_at", type: timestamp, isNullable: true },
          { name: "avatar_url", type: "varchar", length: "2048", isNullable: true },
          { name: "created_at", type: timestamp },
          { name: "updated_at", type: timestamp },
        ],
        uniques: [{ name: "uq_accounts_username_normalized", columnNames: ["username_normalized"] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "sessions",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "token_hash", type: "varchar", length: "64" },
          { name: "created_at", type: timestamp },
          { name: "last_seen_at", type: timestamp },
          { name: "expires_at", type: timestamp },
          { name: "ip", type: "varchar", length: "64", isNullable: true },
          { name: "user_agent", type: "varchar", length: "512", isNullable: true },
        ],
        uniques: [{ name: "uq_sessions_token_hash", columnNames: ["token_hash"] }],
        indices: [{ name: "idx_sessions_account", columnNames: ["account_id"] }],
        foreignKeys: [accountForeignKey("sessions")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "audit_events",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "type", type: "varchar", length: "64" },
          { name: "ip", type: "varchar", length: "64", isNullable: true },
          { name: "user_agent", type: "varchar", length: "512", isNullable: true },
          { name: "detail", type: "text", isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        indices: [{ name: "idx_audit_events_account", columnNames: ["account_id", "id"] }],
        foreignKeys: [accountForeignKey("audit_events")],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("audit_events");
    await queryRunner.dropTable("sessions");
    await queryRunner.dropTable("accounts");
  }
}
