import { DataSource } from "typeorm";
import { loadConfig } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { MIGRATIONS } from "../src/db/migrations";
import { UsernameNfkcKeys1764441600000 } from "../src/db/migrations/1764441600000-username-nfkc-keys";
import { ChallengeRecords1764443000000 } from "../src/db/migrations/1764443000000-challenge-records";
import { SweeperIndexes1764600000000 } from "../src/db/migrations/1764600000000-sweeper-indexes";
import { AccountEntity, ChallengeEntity } from "../src/entities";
import { readChallengeData } from "../src/modules/challenge/challenge-data";
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

describe("ChallengeRecords: challenges say 'nothing yet' with NULL", () => {
  it("turns the NONE channel and the empty code hash into NULL and renames the two-step field, and back", async () => {
    const database = await createTestDatabase();
    const options = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database).options;
    const mine = MIGRATIONS.indexOf(ChallengeRecords1764443000000);
    const before = new DataSource({ ...options, migrations: MIGRATIONS.slice(0, mine) });
    const after = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database);
    await before.initialize();
    try {
      await before.runMigrations({ transaction: "all" });
      const at = before.driver.preparePersistentValue(new Date("2026-01-01T00:00:00Z"), { type: "datetime" } as never);
      const insert = async (id: string, purpose: string, channel: string, codeHash: string, payload: string | null) => {
        const [sql, values] = before.driver.escapeQueryWithParameters(
          `INSERT INTO challenges (id, purpose, account_id, session_id, channel, target, code_hash, payload, attempts, max_attempts,
             expires_at, resend_available_at, consumed_at, created_at)
           VALUES (:id, :purpose, NULL, NULL, :channel, 'someone', :codeHash, :payload, 0, 5, :at, :at, NULL, :at)`,
          { id, purpose, channel, codeHash, payload, at },
        );
        await before.query(sql, values);
      };
      await insert("c1", "TWO_STEP", "NONE", "", JSON.stringify({ method: "WECHAT" }));
      await insert("c2", "STEP_UP", "TOTP", "", null);
      await insert("c3", "BIND_CONTACT", "EMAIL", "f".repeat(64), JSON.stringify({ kind: "EMAIL", address: "a@example.com" }));
      await before.destroy();

      await after.initialize();
      await after.runMigrations({ transaction: "all" });
      const rows = async () =>
        Object.fromEntries(
          (await after.getRepository(ChallengeEntity).find()).map((row) => [row.id, [row.channel, row.codeHash, row.payload]]),
        );
      expect(await rows()).toEqual({
        c1: [null, null, JSON.stringify({ firstFactor: "WECHAT" })],
        c2: ["TOTP", null, null],
        c3: ["EMAIL", "f".repeat(64), JSON.stringify({ kind: "EMAIL", address: "a@example.com" })],
      });
      const twoStep = await after.getRepository(ChallengeEntity).findOneByOrFail({ id: "c1" });
      expect(readChallengeData(twoStep, "TWO_STEP")).toEqual({ purpose: "TWO_STEP", firstFactor: "WECHAT" });

      // Back to before ChallengeRecords: it and every migration after it.
      for (let i = mine; i < MIGRATIONS.length; i++) await after.undoLastMigration({ transaction: "all" });
      const reverted = await after.query(`SELECT id, channel, code_hash AS "codeHash", payload FROM challenges ORDER BY id`);
      expect(reverted).toEqual([
        { id: "c1", channel: "NONE", codeHash: "", payload: JSON.stringify({ method: "WECHAT" }) },
        { id: "c2", channel: "TOTP", codeHash: "", payload: null },
        { id: "c3", channel: "EMAIL", codeHash: "f".repeat(64), payload: JSON.stringify({ kind: "EMAIL", address: "a@example.com" }) },
      ]);
    } finally {
      if (before.isInitialized) await before.destroy();
      if (after.isInitialized) await after.destroy();
      await database.drop();
    }
  });
});

describe("SweeperIndexes: what the sweeper deletes by is indexed", () => {
  it("indexes expires_at and consumed_at of challenges and OAuth states, and drops them again", async () => {
    const database = await createTestDatabase();
    const dataSource = createDataSource(loadConfig({ NODE_ENV: "test", ...database.env }).database);
    await dataSource.initialize();
    const indexed = async () => {
      const runner = dataSource.createQueryRunner();
      try {
        const tables = await runner.getTables(["challenges", "oauth_states"]);
        return tables.flatMap((table) => table.indices.filter((index) => index.columnNames.length === 1).map((index) => index.name)).sort();
      } finally {
        await runner.release();
      }
    };
    try {
      await dataSource.runMigrations({ transaction: "all" });
      expect(await indexed()).toEqual(
        expect.arrayContaining([
          "idx_challenges_consumed_at",
          "idx_challenges_expires_at",
          "idx_oauth_states_consumed_at",
          "idx_oauth_states_expires_at",
        ]),
      );
      const mine = MIGRATIONS.indexOf(SweeperIndexes1764600000000);
      for (let i = mine; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: "all" });
      expect((await indexed()).filter((name) => /_(expires|consumed)_at$/.test(name ?? ""))).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
