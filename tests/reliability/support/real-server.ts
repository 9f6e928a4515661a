import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../helpers/free-port";

const ROOT = path.join(__dirname, "../../..");

export interface BuiltServer {
  /** `<dir>/dist/src/main.js`, the real entry point. */
  readonly mainJs: string;
  readonly dir: string;
  remove(): void;
}

/**
 * Compiles the server with tsconfig.build.json into a directory of its own (not ./dist, which other
 * work in this tree may be using), with node_modules linked beside it so `require` finds them.
 * tsc emits even when it reports type errors (from work in progress elsewhere in the tree); the
 * build counts as done when main.js is there.
 */
export function buildServer(): BuiltServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-reliability-build-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(dir, "dist")], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  const mainJs = path.join(dir, "dist/src/main.js");
  if (!fs.existsSync(mainJs)) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`tsc did not produce main.js (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  if (result.status !== 0) console.warn(`tsc reported problems but emitted the server:\n${result.stdout.slice(0, 2000)}`);
  return { mainJs, dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Settings for a built server under test: development on loopback, a free port, cheap bcrypt, console providers. */
export async function realServerEnv(
  databaseEnv: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    LOG_LEVEL: "warn",
    BCRYPT_COST: "4",
    DATA_ENCRYPTION_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=",
    EMAIL_PROVIDER: "console",
    SMS_PROVIDER: "console",
    REDIS_COMMAND_TIMEOUT_MS: "5000", // as in tests/helpers/test-server.ts: a loaded machine is not a frozen Redis
    ...extra,
    ...databaseEnv,
  };
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code or signal once the process has ended. */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** SIGKILL: no shutdown handler runs, in-flight transactions are cut off. */
  kill(): Promise<string>;
  /** SIGTERM: the server's graceful shutdown; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<string>;
  logTail(lines?: number): string;
}

/** Starts `node [nodeArgs] main.js` with `env` and waits (at most `readyTimeoutMs`) until /healthz answers. */
export async function startServerProcess(
  mainJs: string,
  env: Record<string, string>,
  logFile: string,
  readyTimeoutMs = 30_000,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const port = Number(env.PORT);
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [...nodeArgs, mainJs], {
    cwd: path.dirname(logFile),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve(signal ?? String(code));
    });
  });
  const logTail = (lines = 30) => fs.readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}/graphql`,
    child,
    logFile,
    exited,
    isRunning: () => running,
    async kill() {
      if (running) child.kill("SIGKILL");
      return exited;
    },
    async stop(graceMs = 10_000) {
      if (!running) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => running && child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    logTail,
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!running) throw new Error(`the server exited before it was ready (${await exited}):\n${logTail()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`the server was not ready within ${readyTimeoutMs} ms:\n${logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
