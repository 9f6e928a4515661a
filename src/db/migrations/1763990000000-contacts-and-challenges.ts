import { type MigrationInterface, type QueryRunner, Table, TableColumn } from "typeorm";
import { accountForeignKey, timestampType } from "../migration-helpers";

/** Bound identities (email, phone, later providers), verification challenges, step-up, roles. */
export class ContactsAndChallenges1763990000000 implements MigrationInterface {
  name = "ContactsAndChallenges1763990000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: "identities",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "kind", type: "varchar", length: "16" },
          { name: "subject", type: "varchar", length: "320" },
          { name: "verified_at", type: timestamp },
          { name: "profile", type: "text", isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        uniques: [
          { name: "uq_identities_kind_subject", columnNames: ["kind", "subject"] },
          { name: "uq_identities_account_kind", columnNames: ["account_id", "kind"] },
        ],
        indices: [{ name: "idx_identities_account", columnNames: ["account_id"] }],
        foreignKeys: [accountForeignKey("identities")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "challenges",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "purpose", type: "varchar", length: "32" },
          { name: "account_id", type: "varchar", length: "36", isNullable: true },
          { name: "session_id", type: "varchar", length: "36", isNullable: true },
          { name: "channel", type: "varchar", length: "16" },
          { name: "target", type: "varchar", length: "320" },
          { name: "code_hash", type: "varchar", length: "64" },
          { name: "payload", type: "text", isNullable: true },
          { name: "attempts", type: "integer" },
          { name: "max_attempts", type: "integer" },
          { name: "expires_at", type: timestamp },
          { name: "resend_available_at", type: timestamp },
          { name: "consumed_at", type: timestamp, isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        indices: [
          { name: "idx_challenges_target", columnNames: ["target", "purpose"] },
          { name: "idx_challenges_account", columnNames: ["account_id"] },
        ],
        foreignKeys: [accountForeignKey("challenges")],
      }),
    );

    await queryRunner.addColumn("sessions", new TableColumn({ name: "step_up_at", type: timestamp, isNullable: true }));
    await queryRunner.addColumn("accounts", new TableColumn({ name: "roles", type: "varchar", length: "200", default: "''" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("accounts", "roles");
    await queryRunner.dropColumn("sessions", "step_up_at");
    await queryRunner.dropTable("challenges");
    await queryRunner.dropTable("identities");
  }
}
