import { type MigrationInterface, type QueryRunner, Table } from "typeorm";

/**
 * The data key generated outside production when DATA_ENCRYPTION_KEY is unset (src/core/data-key.ts),
 * kept in the database every process of a development deployment shares. Empty in production.
 */
export class DevDataKey1764440000000 implements MigrationInterface {
  name = "DevDataKey1764440000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "dev_data_key",
        columns: [
          { name: "id", type: "integer", isPrimary: true },
          { name: "key", type: "varchar", length: "44" },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("dev_data_key");
  }
}
