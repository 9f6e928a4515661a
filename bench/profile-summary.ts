/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof` or bench/profile-hook.ts): the functions with
 * the most self time, and self and inclusive time per package (node_modules/<pkg>, the app's src/<dir>, node internals).
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [top]
 */
import fs from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not idle (everything but "(idle)"). */
  readonly busyMs: number;
  readonly topSelf: Array<{ function: string; where: string; selfMs: number; pctOfBusy: number }>;
  readonly packages: Array<{ package: string; selfMs: number; selfPct: number; inclusiveMs: number; inclusivePct: number }>;
}

/** Where a frame's code lives: an npm package, a folder of the app, node itself, or V8's pseudo-frames. */
export function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const parts = url.slice(modules + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const app = /\/dist\/(src|bench)\/(.*)$/.exec(url);
  if (app) {
    const dirs = app[2].split("/");
    return `app:${app[1]}/${dirs.length > 2 ? `${dirs[0]}/${dirs[1]}` : dirs[0]}`;
  }
  if (url.startsWith("node:")) return "node:internal";
  return url;
}

export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfByNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }

  let totalMs = 0;
  let idleMs = 0;
  const selfByFunction = new Map<string, { function: string; where: string; selfMs: number }>();
  const packages = new Map<string, { selfMs: number; inclusiveMs: number }>();
  const pkg = (name: string) => {
    let entry = packages.get(name);
    if (!entry) packages.set(name, (entry = { selfMs: 0, inclusiveMs: 0 }));
    return entry;
  };
  for (const [id, ms] of selfByNode) {
    const node = byId.get(id)!;
    const frame = node.callFrame;
    totalMs += ms;
    if (frame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${where}`;
    const entry = selfByFunction.get(key) ?? { function: frame.functionName || "(anonymous)", where, selfMs: 0 };
    entry.selfMs += ms;
    selfByFunction.set(key, entry);
    pkg(packageOf(frame)).selfMs += ms;
    // Inclusive: every package on the stack gets this time once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = packageOf(byId.get(at)!.callFrame);
      if (name === "(root)" || seen.has(name)) continue;
      seen.add(name);
      pkg(name).inclusiveMs += ms;
    }
  }
  const busyMs = totalMs - idleMs;
  const pct = (ms: number) => Math.round((ms / Math.max(busyMs, 1)) * 1000) / 10;
  const r = (ms: number) => Math.round(ms);
  return {
    totalMs: r(totalMs),
    busyMs: r(busyMs),
    topSelf: [...selfByFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, selfMs: r(entry.selfMs), pctOfBusy: pct(entry.selfMs) })),
    packages: [...packages.entries()]
      .map(([name, entry]) => ({
        package: name,
        selfMs: r(entry.selfMs),
        selfPct: pct(entry.selfMs),
        inclusiveMs: r(entry.inclusiveMs),
        inclusivePct: pct(entry.inclusiveMs),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatProfile(summary: ProfileSummary, topPackages = 20): string {
  const lines = [
    `busy ${summary.busyMs} ms of ${summary.totalMs} ms sampled`,
    "",
    "self %  self ms  function (where)",
    ...summary.topSelf.map((f) => `${String(f.pctOfBusy).padStart(6)} ${String(f.selfMs).padStart(8)}  ${f.function} (${f.where})`),
    "",
    "self %  incl %  package",
    ...summary.packages
      .slice(0, topPackages)
      .map((p) => `${String(p.selfPct).padStart(6)} ${String(p.inclusivePct).padStart(7)}  ${p.package}`),
  ];
  return lines.join("\n");
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfile(file, top ? Number(top) : 25)));
}
