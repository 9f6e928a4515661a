import { type MigrationInterface, type QueryRunner, TableColumn } from "typeorm";
import { timestampType } from "../migration-helpers";

/**
 * When an API key made without a step-up (its account had nothing to step up with) starts to work; null
 * for every key made before, and for those made with a step-up.
 */
export class ApiKeyUsableFrom1764700000000 implements MigrationInterface {
  name = "ApiKeyUsableFrom1764700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn("api_keys", new TableColumn({ name: "usable_from", type: timestampType(queryRunner), isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("api_keys", "usable_from");
  }
}
