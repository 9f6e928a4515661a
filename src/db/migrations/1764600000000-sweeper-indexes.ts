import { type MigrationInterface, type QueryRunner, TableIndex } from "typeorm";

/** What the sweeper (db/sweeper.ts) deletes by, on each table it sweeps: expired rows, and used ones. */
const INDEXES = ["challenges", "oauth_states"].flatMap((table) =>
  ["expires_at", "consumed_at"].map((column) => ({
    table,
    index: new TableIndex({ name: `idx_${table}_${column}`, columnNames: [column] }),
  })),
);

/**
 * The sweeper deletes expired and used challenges and OAuth states every SWEEP_INTERVAL_SECONDS;
 * without an index on each column it deletes by, every sweep reads the whole table, and anyone can
 * grow oauth_states (startProviderLogin needs no account).
 */
export class SweeperIndexes1764600000000 implements MigrationInterface {
  name = "SweeperIndexes1764600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index } of INDEXES) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index } of INDEXES) await queryRunner.dropIndex(table, index.name!);
  }
}
