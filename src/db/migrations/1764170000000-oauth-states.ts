import { type MigrationInterface, type QueryRunner, Table } from "typeorm";
import { accountForeignKey, timestampType } from "../migration-helpers";

/** Single-use OAuth `state` for binding and signing in with WeChat, QQ and Alipay. */
export class OAuthStates1764170000000 implements MigrationInterface {
  name = "OAuthStates1764170000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "oauth_states",
        columns: [
          { name: "id", type: "varchar", length: "36", isPrimary: true },
          { name: "state_hash", type: "varchar", length: "64" },
          { name: "purpose", type: "varchar", length: "8" },
          { name: "provider", type: "varchar", length: "16" },
          { name: "account_id", type: "varchar", length: "36", isNullable: true },
          { name: "redirect_uri", type: "varchar", length: "2048" },
          { name: "expires_at", type: timestamp },
          { name: "consumed_at", type: timestamp, isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        uniques: [{ name: "uq_oauth_states_state_hash", columnNames: ["state_hash"] }],
        foreignKeys: [accountForeignKey("oauth_states")],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("oauth_states");
  }
}
