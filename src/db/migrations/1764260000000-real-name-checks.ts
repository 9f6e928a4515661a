import { type MigrationInterface, type QueryRunner, Table } from "typeorm";
import { accountForeignKey, timestampType } from "../migration-helpers";

/** Real-name verification attempts, with the legal name and ID number sealed. */
export class RealNameChecks1764260000000 implements MigrationInterface {
  name = "RealNameChecks1764260000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "real_name_checks",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "provider", type: "varchar", length: "16" },
          { name: "vendor_reference", type: "varchar", length: "128" },
          { name: "status", type: "varchar", length: "16" },
          { name: "legal_name_sealed", type: "text" },
          { name: "id_number_sealed", type: "text" },
          { name: "id_number_hash", type: "varchar", length: "64" },
          { name: "verify_url", type: "text" },
          { name: "failure_reason", type: "varchar", length: "300", isNullable: true },
          { name: "started_at", type: timestamp },
          { name: "verified_at", type: timestamp, isNullable: true },
        ],
        indices: [
          { name: "idx_real_name_checks_account", columnNames: ["account_id", "started_at"] },
          { name: "idx_real_name_checks_id_number", columnNames: ["id_number_hash"] },
        ],
        foreignKeys: [accountForeignKey("real_name_checks")],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("real_name_checks");
  }
}
