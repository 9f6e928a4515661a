import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";

/** A server started as a child process (the real one, or the bare Apollo baseline). */
export interface ServerProcess {
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly logFile: string;
  /** VmHWM (peak resident set) and VmRSS of the process now, in MB, from /proc/<pid>/status. */
  memory(): { peakRssMb: number | null; rssMb: number | null };
  /** Lines the process has written to stdout/stderr so far. */
  logLines(): number;
  /** SIGTERM, then waits for it to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** SIGKILL now, without waiting (for when the bench itself is going down). */
  kill(): void;
}

/** A field of /proc/<pid>/status (VmRSS, VmHWM, ...) in MB, or null when the process is gone. */
export function readStatusMb(pid: number, field: string): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** The node flags of package.json's start script (`node --max-old-space-size=... dist/src/main.js`). */
export function startScriptNodeFlags(packageJson: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(packageJson, "utf8")) as { scripts: { start: string } };
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/src\/main\.js/.exec(pkg.scripts.start);
  return flags ? flags[1].split(/\s+/).filter(Boolean) : [];
}

/**
 * Starts `node [nodeArgs] script` with `env` (on top of PATH/HOME only, so the caller's settings do
 * not leak in), sends its output to `logFile`, and resolves once it answers (`ready`).
 */
export async function startServerProcess(options: {
  script: string;
  env: Record<string, string>;
  logFile: string;
  nodeArgs?: string[];
  port: number;
  timeoutMs?: number;
  /** Whether it answers yet: by default, GET /healthz answers 2xx. */
  ready?: (origin: string) => Promise<boolean>;
}): Promise<ServerProcess> {
  const { script, env, logFile, nodeArgs = [], port, timeoutMs = 60_000 } = options;
  const ready = options.ready ?? (async (at: string) => (await fetch(`${at}/healthz`)).ok);
  const log = fs.openSync(logFile, "a");
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(
        `${script} exited before it was ready (${JSON.stringify(exited)}); its log:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`,
      );
    }
    try {
      if (await ready(origin)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${script} was not ready within ${timeoutMs} ms; its log:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid!;
  return {
    pid,
    origin,
    logFile,
    memory: () => ({ peakRssMb: readStatusMb(pid, "VmHWM"), rssMb: readStatusMb(pid, "VmRSS") }),
    logLines: () => {
      const text = fs.readFileSync(logFile, "utf8");
      return text === "" ? 0 : text.split("\n").filter(Boolean).length;
    },
    kill() {
      if (!exited) child.kill("SIGKILL");
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
