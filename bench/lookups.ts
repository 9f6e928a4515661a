/**
 * In-process micro-benchmark of the session lookup behind every authenticated request, to see what
 * the `me` gap is made of: the lookup SessionService.authenticate runs today (createJoinedLookup: one
 * hand-written join, hydrated column by column) against what it used to run (TypeORM findOne with a
 * relation) and the ways in between.
 *
 *   npm run build && node dist/bench/lookups.js [--postgres] [--accounts=10000] [--iterations=20000]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { loadConfig, type DatabaseConfig } from "../src/config";
import { sha256Hex } from "../src/core/crypto";
import { createDataSource } from "../src/db/data-source";
import { createJoinedLookup } from "../src/db/joined-lookup";
import { AccountEntity, SessionEntity } from "../src/entities";
import { seed, type Dialect } from "./seed";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split("=")[1]) : fallback;
}

type Lookup = (tokenHash: string) => Promise<unknown>;

function lookups(dataSource: DataSource, dialect: Dialect): Record<string, Lookup> {
  const repository = dataSource.getRepository(SessionEntity);
  const p = dialect === "sqlite" ? "?" : "$1";
  const joined = createJoinedLookup(dataSource, {
    main: SessionEntity,
    joined: AccountEntity,
    joinColumn: "account_id",
    whereColumn: "token_hash",
  });
  return {
    "createJoinedLookup (today)": (hash) => joined(hash),
    // What SessionService.authenticate did until 2026-11-23: TypeORM adds a DISTINCT pre-query because of
    // the join plus findOne's LIMIT, so this is two round trips and two query builds.
    "findOne + relations (before)": (hash) => repository.findOne({ where: { tokenHash: hash }, relations: { account: true } }),
    // What api-key.service.ts did for keys: one joined query, hydrated by TypeORM.
    "queryBuilder innerJoinAndMapOne getOne": (hash) =>
      repository
        .createQueryBuilder("session")
        .innerJoinAndMapOne("session.account", AccountEntity, "account", "account.id = session.account_id")
        .where("session.token_hash = :hash", { hash })
        .getOne(),
    // One hand-written query, raw rows (the mapping to entities left to the caller).
    "raw SQL join (dataSource.query)": (hash) =>
      dataSource.query(
        `SELECT s.id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.step_up_at, a.username, a.avatar_url, a.created_at AS account_created_at,
                a.two_step_enabled, a.roles, a.password_hash
           FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ${p}`,
        [hash],
      ),
  };
}

async function main(): Promise<void> {
  const dialect: Dialect = process.argv.includes("--postgres") ? "postgres" : "sqlite";
  const accounts = arg("accounts", 10_000);
  const iterations = arg("iterations", 20_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "account-lookups-"));
  const schema = `bench_lookups_${process.pid}`;
  let config: DatabaseConfig;
  if (dialect === "sqlite") {
    config = { kind: "sqlite", file: path.join(tmp, "lookups.sqlite") };
  } else {
    const client = new Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    config = loadConfig({ DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema }).database;
  }
  const dataSource = createDataSource(config);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "all" });
    const seeded = await seed(dataSource, {
      dialect,
      accounts,
      passwordHash: "$2b$04$abcdefghijklmnopqrstuu5Y7wYI0j0Hjz6o9j9e4gnyKpNn8YbtW",
      meTokens: 10_000,
      apiKeys: 0,
      keepAllTokens: false,
      richAccounts: 0,
      log: () => undefined,
    });
    const hashes = seeded.meTokens.map(sha256Hex);
    console.log(`${dialect}, ${accounts} accounts, ${iterations} sequential lookups each (node ${process.version})`);
    for (const [name, lookup] of Object.entries(lookups(dataSource, dialect))) {
      for (let i = 0; i < Math.min(2000, iterations); i++) await lookup(hashes[i % hashes.length]); // warm-up
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < iterations; i++) {
        const found = await lookup(hashes[(i * 7919) % hashes.length]);
        if (!found || (Array.isArray(found) && found.length === 0)) throw new Error(`${name}: nothing found`);
      }
      const micros = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
      const cpu = process.cpuUsage(cpu0);
      const cpuMicros = (cpu.user + cpu.system) / iterations;
      console.log(
        `  ${name.padEnd(42)} ${micros.toFixed(0).padStart(6)} µs per lookup, ${cpuMicros.toFixed(0).padStart(5)} µs of this process's CPU`,
      );
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (dialect === "postgres") {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
