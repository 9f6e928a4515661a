import { type MigrationInterface, type QueryRunner, TableColumn } from "typeorm";
import { timestampType } from "../migration-helpers";

/**
 * When a factor added without a step-up (nothing to step up with) may first serve for step-up,
 * two-step or recovery; null for every factor bound before, and for those bound with a step-up.
 */
export class FactorUsableFrom1764442000000 implements MigrationInterface {
  name = "FactorUsableFrom1764442000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = timestampType(queryRunner);
    await queryRunner.addColumn("identities", new TableColumn({ name: "usable_from", type, isNullable: true }));
    await queryRunner.addColumn("totp_credentials", new TableColumn({ name: "usable_from", type, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("totp_credentials", "usable_from");
    await queryRunner.dropColumn("identities", "usable_from");
  }
}
