import { type MigrationInterface, type QueryRunner, Table, TableColumn } from "typeorm";
import { accountForeignKey, timestampType } from "../migration-helpers";

/** Authenticator apps (TOTP), recovery codes, two-step sign-in, API keys. */
export class SecondFactorsAndApiKeys1764080000000 implements MigrationInterface {
  name = "SecondFactorsAndApiKeys1764080000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: "totp_credentials",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "secret_sealed", type: "text" },
          { name: "confirmed_at", type: timestamp, isNullable: true },
          { name: "last_used_step", type: "integer", isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        indices: [{ name: "idx_totp_credentials_account", columnNames: ["account_id"] }],
        foreignKeys: [accountForeignKey("totp_credentials")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "recovery_codes",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "code_hash", type: "varchar", length: "64" },
          { name: "used_at", type: timestamp, isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        indices: [{ name: "idx_recovery_codes_account", columnNames: ["account_id"] }],
        foreignKeys: [accountForeignKey("recovery_codes")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "api_keys",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "account_id", type: "varchar", length: "36" },
          { name: "name", type: "varchar", length: "64" },
          { name: "prefix", type: "varchar", length: "16" },
          { name: "key_hash", type: "varchar", length: "64" },
          { name: "scopes", type: "varchar", length: "200" },
          { name: "created_at", type: timestamp },
          { name: "last_used_at", type: timestamp, isNullable: true },
          { name: "expires_at", type: timestamp, isNullable: true },
        ],
        uniques: [{ name: "uq_api_keys_key_hash", columnNames: ["key_hash"] }],
        indices: [{ name: "idx_api_keys_account", columnNames: ["account_id"] }],
        foreignKeys: [accountForeignKey("api_keys")],
      }),
    );

    await queryRunner.addColumn("accounts", new TableColumn({ name: "two_step_enabled", type: "boolean", default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("accounts", "two_step_enabled");
    await queryRunner.dropTable("api_keys");
    await queryRunner.dropTable("recovery_codes");
    await queryRunner.dropTable("totp_credentials");
  }
}
