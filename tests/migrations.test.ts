import { DataSource } from "typeorm";
import { loadConfig } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { MIGRATIONS } from "../src/db/migrations";
import { UsernameNfkcKeys1764441600000 } from "../src/db/migrations/1764441600000-username-nfkc-keys";
import { AccountEntity } from "../src/entities";
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
    for (const table of [
      "accounts",
      "sessions",
      "audit_events",
      "identities",
      "challenges",
      "totp_credentials",
      "recovery_codes",
      "api_keys",
      "oauth_states",
      "real_name_checks",
      "dev_data_key",
    ])
      expect(await check.hasTable(table)).toBe(true);
    await check.release();
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});

describe("UsernameNfkcKeys: usernames are unique by NFKC and lower case", () => {
  it("recomputes stored keys; on a collision the holder of the key keeps it, else the oldest gets it, and the rest keep theirs", async () => {
    const database = await createTestDatabase();
    const options = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database).options;
    const mine = MIGRATIONS.indexOf(UsernameNfkcKeys1764441600000);
    const before = new DataSource({ ...options, migrations: MIGRATIONS.slice(0, mine) });
    await before.initialize();
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await before.runMigrations({ transaction: "all" });
      // Stored before the rule: keys were the lower-cased name, and radicals and compatibility ideographs were allowed.
      const rows: [number, string, string][] = [
        [1, "Alice", "2026-01-01"],
        [2, "\u2F08民_x", "2026-01-02"], // Kangxi radical ⼈ for 人
        [3, "\uF900_y", "2026-01-03"], // compatibility ideograph 豈 for 豈
        [4, "人口_z", "2026-01-06"], // already standard: keeps its key although newer than 5
        [5, "\u2F08口_z", "2026-01-04"],
        [6, "\u2F08田_w", "2026-01-07"], // two non-standard spellings: the older one gets the key
        [7, "人\u2F65_w", "2026-01-08"],
      ];
      for (const [n, username, day] of rows) {
        const at = new Date(`${day}T00:00:00Z`);
        const [sql, values] = before.driver.escapeQueryWithParameters(
          "INSERT INTO accounts (id, username, username_normalized, created_at, updated_at) VALUES (:id, :username, :key, :at, :at)",
          {
            id: `a0000000-0000-4000-8000-00000000000${n}`,
            username,
            key: username.toLowerCase(),
            at: before.driver.preparePersistentValue(at, { type: "datetime" } as never),
          },
        );
        await before.query(sql, values);
      }
      await before.destroy();

      const after = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database);
      await after.initialize();
      await after.runMigrations({ transaction: "all" });
      const keys = Object.fromEntries(
        (await after.getRepository(AccountEntity).find()).map((account) => [account.id.slice(-1), account.usernameNormalized]),
      );
      await after.destroy();
      expect(keys).toEqual({ 1: "alice", 2: "人民_x", 3: "\u8C48_y", 4: "人口_z", 5: "\u2F08口_z", 6: "人田_w", 7: "人\u2F65_w" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/2 account\(s\).*00000000005, .*00000000007$/);
    } finally {
      warn.mockRestore();
      if (before.isInitialized) await before.destroy();
      await database.drop();
    }
  });
});
