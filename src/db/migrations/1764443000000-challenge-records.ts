import { type MigrationInterface, type QueryRunner, TableColumn } from "typeorm";

/**
 * Challenges say "nothing yet" with NULL instead of sentinel values: channel NULL (was 'NONE') until a
 * two-step sign-in picks its method, code_hash NULL (was '') while no code of ours is out. A two-step
 * challenge's record names its first factor `firstFactor` (was `method`).
 * Plain SQL, not the entities: they may not match the table at this point of the history.
 */
export class ChallengeRecords1764443000000 implements MigrationInterface {
  name = "ChallengeRecords1764443000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.setNullable(queryRunner, true);
    await queryRunner.query(`UPDATE challenges SET channel = NULL WHERE channel = 'NONE'`);
    await queryRunner.query(`UPDATE challenges SET code_hash = NULL WHERE code_hash = ''`);
    await this.renameTwoStepField(queryRunner, "method", "firstFactor");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.renameTwoStepField(queryRunner, "firstFactor", "method");
    await queryRunner.query(`UPDATE challenges SET channel = 'NONE' WHERE channel IS NULL`);
    await queryRunner.query(`UPDATE challenges SET code_hash = '' WHERE code_hash IS NULL`);
    await this.setNullable(queryRunner, false);
  }

  private async setNullable(queryRunner: QueryRunner, isNullable: boolean): Promise<void> {
    await queryRunner.changeColumns("challenges", [
      {
        oldColumn: new TableColumn({ name: "channel", type: "varchar", length: "16", isNullable: !isNullable }),
        newColumn: new TableColumn({ name: "channel", type: "varchar", length: "16", isNullable }),
      },
      {
        oldColumn: new TableColumn({ name: "code_hash", type: "varchar", length: "64", isNullable: !isNullable }),
        newColumn: new TableColumn({ name: "code_hash", type: "varchar", length: "64", isNullable }),
      },
    ]);
  }

  /** Two-step challenges live minutes: the few open ones are rewritten one by one, the same way on both databases. */
  private async renameTwoStepField(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
    const rows = (await queryRunner.query(`SELECT id, payload FROM challenges WHERE purpose = 'TWO_STEP' AND payload IS NOT NULL`)) as {
      id: string;
      payload: string;
    }[];
    for (const row of rows) {
      const { [from]: value, ...rest } = JSON.parse(row.payload) as Record<string, unknown>;
      const [sql, parameters] = queryRunner.connection.driver.escapeQueryWithParameters(
        "UPDATE challenges SET payload = :payload WHERE id = :id",
        { payload: JSON.stringify({ ...rest, [to]: value }), id: row.id },
      );
      await queryRunner.query(sql, parameters);
    }
  }
}
