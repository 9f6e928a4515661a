import { type MigrationInterface, type QueryRunner, TableColumn } from "typeorm";

/** Why a real-name check failed, as a code clients can translate (failure_reason stays, in English). */
export class RealNameFailureCode1764350000000 implements MigrationInterface {
  name = "RealNameFailureCode1764350000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      "real_name_checks",
      new TableColumn({ name: "failure_code", type: "varchar", length: "32", isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("real_name_checks", "failure_code");
  }
}
