import { type MigrationInterface, type QueryRunner, TableColumn } from "typeorm";
import { timestampType } from "../migration-helpers";

/** When reading a pending check last asked the provider, so that it asks at most once per REAL_NAME_POLL_INTERVAL_SECONDS. */
export class RealNamePolledAt1764530000001 implements MigrationInterface {
  name = "RealNamePolledAt1764530000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      "real_name_checks",
      new TableColumn({ name: "polled_at", type: timestampType(queryRunner), isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("real_name_checks", "polled_at");
  }
}
