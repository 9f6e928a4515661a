import fs from "node:fs";

/**
 * Who used the CPU during a scenario, in cores (1.0 = one core busy the whole time), from /proc:
 * the server under test, this process (autocannon, the SMTP sink, bcrypt baseline), PostgreSQL's
 * processes, and everything else on the machine (the machine-wide busy time minus those), so a
 * result taken while something else was running can be recognised.
 */
export type CpuUse = Record<"server" | "client" | "postgres" | "other" | "idle", number>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Snapshot {
  readonly at: number;
  readonly busy: number;
  readonly idle: number;
  readonly perPid: Map<number, { comm: string; ticks: number }>;
}

/** CPU seconds (user and system) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function readMachine(): { busy: number; idle: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq + (steal ?? 0), idle: idle + iowait };
}

function readProcesses(): Map<number, { comm: string; ticks: number }> {
  const result = new Map<number, { comm: string; ticks: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      // fields[0] is state (field 3); utime and stime are fields 14 and 15.
      result.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return result;
}

function snapshot(): Snapshot {
  if (!fs.existsSync("/proc/stat")) return { at: performance.now(), busy: 0, idle: 0, perPid: new Map() };
  const machine = readMachine();
  return { at: performance.now(), ...machine, perPid: readProcesses() };
}

export class CpuMeter {
  private start: Snapshot | undefined;

  begin(): void {
    this.start = snapshot();
  }

  /** CPU use since begin(); `serverPid` is the server under test. */
  end(serverPid: number | undefined): CpuUse {
    const start = this.start ?? snapshot();
    const stop = snapshot();
    const seconds = Math.max((stop.at - start.at) / 1000, 0.001);
    const cores = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
    let server = 0;
    let client = 0;
    let postgres = 0;
    for (const [pid, now] of stop.perPid) {
      const before = start.perPid.get(pid)?.ticks ?? 0;
      const used = Math.max(0, now.ticks - before);
      if (pid === serverPid) server += used;
      else if (pid === process.pid) client += used;
      else if (now.comm === "postgres") postgres += used;
    }
    const busy = stop.busy - start.busy;
    return {
      server: cores(server),
      client: cores(client),
      postgres: cores(postgres),
      other: cores(Math.max(0, busy - server - client - postgres)),
      idle: cores(stop.idle - start.idle),
    };
  }
}

/** Machine-wide CPU used by processes other than ours over `ms`, in cores. */
export async function foreignCpu(ms: number, ours: number[]): Promise<number> {
  const start = snapshot();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const stop = snapshot();
  const seconds = (stop.at - start.at) / 1000;
  let mine = 0;
  for (const pid of [process.pid, ...ours]) mine += (stop.perPid.get(pid)?.ticks ?? 0) - (start.perPid.get(pid)?.ticks ?? 0);
  return Math.max(0, (stop.busy - start.busy - mine) / TICKS_PER_SECOND / seconds);
}
