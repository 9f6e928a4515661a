import { loadConfig } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { MIGRATIONS } from "../src/db/migrations";
import { createTestDatabase } from "./helpers/databases";

it("applies every migration, reverts them all, and applies them again", async () => {
  const database = await createTestDatabase();
  const dataSource = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database);
  await dataSource.initialize();
  try {
    expect(await dataSource.runMigrations({ transaction: "all" })).toHaveLength(MIGRATIONS.length);
    expect(await dataSource.showMigrations()).toBe(false); // nothing pending
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: "all" });
    const runner = dataSource.createQueryRunner();
    expect(await runner.hasTable("accounts")).toBe(false);
    await runner.release();
    expect(await dataSource.runMigrations({ transaction: "all" })).toHaveLength(MIGRATIONS.length);
    const check = dataSource.createQueryRunner();
    for (const table of ["accounts", "sessions", "audit_events", "identities", "challenges", "totp_credentials", "recovery_codes", "api_keys", "oauth_states", "real_name_checks", "dev_data_key"]) expect(await check.hasTable(table)).toBe(true);
    await check.release();
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});
