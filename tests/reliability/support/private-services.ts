import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { Client } from "pg";
import { freePort } from "../../helpers/free-port";

/**
 * A Redis server and a PostgreSQL cluster of a test's own, on spare ports in temporary folders, that
 * the test may freeze (SIGSTOP: the sockets stay open and nothing answers, unlike a refused
 * connection), thaw, stop and start without touching the machine's shared ones.
 */

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms`);
    await settle(100);
  }
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

export interface PrivateRedis {
  readonly url: string;
  /** SIGSTOP: connections stay open, no command is answered. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `redis://127.0.0.1:${port}`;
  await waitFor("the private Redis", async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      return (await redis.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  });
  const pid = [child.pid!];
  return {
    url,
    freeze: () => signal(pid, "SIGSTOP"),
    thaw: () => signal(pid, "SIGCONT"),
    async stop() {
      signal(pid, "SIGCONT");
      signal(pid, "SIGKILL");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers, no new one is served. */
  freeze(): void;
  thaw(): void;
  /** `pg_ctl stop -m fast`: connections are closed, new ones refused. */
  stopCluster(): Promise<void>;
  startCluster(): Promise<void>;
  /** Stops the cluster and removes its folder. */
  remove(): Promise<void>;
}

/** initdb refuses to run as root: as root, the cluster belongs to the postgres user. */
function asClusterOwner(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

function postgresBin(name: string): string {
  const versions = fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  return path.join("/usr/lib/postgresql", versions[0], "bin", name);
}

function pgCtl(args: string[]): void {
  const [command, argv] = asClusterOwner(postgresBin("pg_ctl"), args);
  execFileSync(command, argv, { stdio: "pipe", timeout: 60_000 });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const [initdb, initArgs] = asClusterOwner(postgresBin("initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  execFileSync(initdb, initArgs, { stdio: "pipe", timeout: 120_000 });
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      client.end().catch(() => undefined);
    }
  };
  const startCluster = async () => {
    pgCtl(["start", "-D", data, "-o", options, "-l", path.join(dir, "log"), "-w"]);
    await waitFor("the private PostgreSQL", answers);
  };
  const stopCluster = () => Promise.resolve(pgCtl(["stop", "-D", data, "-m", "fast", "-w"]));
  await startCluster();

  // The postmaster and its children, read when frozen: a frozen postmaster starts no new ones.
  let frozen: number[] = [];
  const clusterPids = () => {
    const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = fs
      .readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => {
        try {
          return (
            Number(
              fs
                .readFileSync(`/proc/${pid}/stat`, "utf8")
                .replace(/^.*\) /s, "")
                .split(" ")[1],
            ) === postmaster
          );
        } catch {
          return false;
        }
      });
    return [postmaster, ...children];
  };
  return {
    url,
    freeze() {
      frozen = clusterPids();
      signal(frozen, "SIGSTOP");
    },
    thaw() {
      signal(frozen, "SIGCONT");
      frozen = [];
    },
    stopCluster,
    startCluster,
    async remove() {
      signal(frozen, "SIGCONT");
      try {
        await stopCluster();
      } catch {
        // not running
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
