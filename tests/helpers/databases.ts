import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { Client } from "pg";

/** `npm test` runs on SQLite; `npm run test:postgres` (TEST_DATABASE=postgres) runs the same suite on PostgreSQL. */
export const TEST_DATABASE = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** A database of its own for one test file: a fresh SQLite file, or a fresh PostgreSQL schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (TEST_DATABASE === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-test-"));
    return {
      env: { DATABASE_URL: `sqlite:${path.join(dir, "account.sqlite")}` },
      drop: () => fs.promises.rm(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${suffix}`;
  await withPostgres((client) => client.query(`CREATE SCHEMA ${schema}`));
  return {
    env: { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema },
    drop: () => withPostgres((client) => client.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined),
  };
}

export async function withPostgres<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Starts the machine's PostgreSQL cluster when it is not answering (as docs/contributing.md describes). */
export async function ensurePostgresRunning(): Promise<void> {
  try {
    await withPostgres((client) => client.query("SELECT 1"));
  } catch {
    const version = fs.readdirSync("/etc/postgresql")[0];
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: "inherit" });
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        await withPostgres((client) => client.query("SELECT 1"));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    throw new Error("PostgreSQL did not start");
  }
}

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A REDIS_PREFIX of its own, for servers that must not hear the clears or share the counts of other tests' servers. */
export function uniqueRedisPrefix(): string {
  return `test-${randomBytes(8).toString("hex")}`;
}

/** The rate-limit tests share counters through Redis; start the machine's Redis when it is not answering. */
export async function ensureRedisRunning(): Promise<void> {
  const ping = async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      await redis.ping();
      return true;
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  };
  if (await ping()) return;
  execSync(
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
    { stdio: "inherit" },
  );
  for (let attempt = 0; attempt < 30; attempt++) {
    if (await ping()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Redis did not start");
}
