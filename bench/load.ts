import autocannon from "autocannon";
import bcrypt from "bcrypt";
import { preHash } from "../src/modules/password/password-hasher";
import type { CpuUse } from "./cpu";

/** One measured scenario, as printed and written to bench/results. */
export interface ScenarioResult {
  readonly name: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Completed requests (or operations) per second, over the measured duration. */
  readonly rps: number;
  readonly requests: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  /** Everything that was not a correct answer: connection errors, timeouts, non-2xx, GraphQL errors / wrong bodies, aborted flows. */
  readonly errors: number;
  readonly errorDetail: Record<string, number>;
  readonly notes?: Record<string, unknown>;
  /** Who used the CPU during the measured part, in cores (see cpu.ts). */
  readonly cpu?: CpuUse;
}

/** Around the measured part (not the warm-up): e.g. wait for a quiet machine, then meter the CPU. */
export interface MeasureHooks {
  before(): Promise<void>;
  after(): CpuUse;
}

export const ME_QUERY = "{ me { id username avatarUrl createdAt } }";

export interface CannonSpec {
  readonly name: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly requests: autocannon.Request[];
  /** True when a response body is a correct answer (GraphQL answers errors with HTTP 200). */
  readonly verifyBody: (body: string) => boolean;
  /** Runs first with the same requests; not measured. */
  readonly warmupSeconds?: number;
  /** At least this many warm-up requests, however long they take (e.g. one per token, so every token has been seen once). */
  readonly warmupRequests?: number;
  /** Called with the instance, e.g. to stop it early. */
  readonly onInstance?: (instance: autocannon.Instance) => void;
  /** Extra counters to add to errors (e.g. flows that could not continue). */
  readonly extraErrors?: () => Record<string, number>;
  readonly notes?: () => Record<string, unknown>;
  readonly hooks?: MeasureHooks;
}

function cannon(options: autocannon.Options, onInstance?: (instance: autocannon.Instance) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error as Error) : resolve(result)));
    onInstance?.(instance);
  });
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function cannonOptions(spec: CannonSpec): autocannon.Options {
  return {
    url: spec.url,
    connections: spec.connections,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: spec.requests,
    verifyBody: (body) => spec.verifyBody(String(body)),
    timeout: 30,
    // autocannon stops at the first sample tick after the duration: ticks every 0.1 s, not every second.
    sampleInt: 100,
  };
}

async function warmUp(spec: CannonSpec): Promise<void> {
  const base = cannonOptions(spec);
  if (spec.warmupRequests && spec.warmupRequests > 0) {
    await cannon({ ...base, amount: spec.warmupRequests }, spec.onInstance);
  }
  if (spec.warmupSeconds && spec.warmupSeconds > 0) {
    await cannon({ ...base, duration: spec.warmupSeconds }, spec.onInstance);
  }
}

/** One measured stretch of a scenario: what a result is added up from. */
interface Slice {
  /** Correct answers (or completed operations). */
  readonly good: number;
  readonly requests: number;
  readonly seconds: number;
  readonly latencyMs: ScenarioResult["latencyMs"];
  readonly errorDetail: Record<string, number>;
  readonly cpu?: CpuUse;
}

async function cannonSlice(spec: CannonSpec, seconds: number): Promise<Slice> {
  await spec.hooks?.before();
  const baseline = spec.extraErrors?.() ?? {};
  const result = await cannon({ ...cannonOptions(spec), duration: seconds }, spec.onInstance);
  const cpu = spec.hooks?.after();
  const extra = Object.fromEntries(Object.entries(spec.extraErrors?.() ?? {}).map(([key, value]) => [key, value - (baseline[key] ?? 0)]));
  return {
    good: result["2xx"] - result.mismatches,
    requests: result.requests.total,
    seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    errorDetail: {
      connection: result.errors - result.timeouts,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      badBody: result.mismatches,
      ...extra,
    },
    cpu,
  };
}

/** Adds up the slices of one scenario. Percentiles do not add up: with several slices they are the slowest slice's. */
function summarize(name: string, connections: number, slices: Slice[], notes?: Record<string, unknown>): ScenarioResult {
  const sum = (value: (slice: Slice) => number) => slices.reduce((total, slice) => total + value(slice), 0);
  const worst = (value: (slice: Slice) => number) => Math.max(...slices.map(value));
  const seconds = sum((slice) => slice.seconds);
  const requests = sum((slice) => slice.requests);
  const errorDetail: Record<string, number> = {};
  for (const slice of slices)
    for (const [key, value] of Object.entries(slice.errorDetail)) errorDetail[key] = (errorDetail[key] ?? 0) + value;
  const metered = slices.filter((slice): slice is Slice & { cpu: CpuUse } => slice.cpu !== undefined);
  const meteredSeconds = metered.reduce((total, slice) => total + slice.seconds, 0);
  const cpu = metered.length
    ? (Object.fromEntries(
        Object.keys(metered[0].cpu).map((key) => [
          key,
          round(metered.reduce((total, slice) => total + slice.cpu[key as keyof CpuUse] * slice.seconds, 0) / meteredSeconds, 2),
        ]),
      ) as CpuUse)
    : undefined;
  return {
    name,
    connections,
    durationSeconds: round(seconds),
    rps: round(sum((slice) => slice.good) / seconds, 2),
    requests,
    latencyMs: {
      p50: round(worst((slice) => slice.latencyMs.p50)),
      p90: round(worst((slice) => slice.latencyMs.p90)),
      p99: round(worst((slice) => slice.latencyMs.p99)),
      max: round(worst((slice) => slice.latencyMs.max)),
      mean: round(sum((slice) => slice.latencyMs.mean * slice.requests) / Math.max(1, requests), 2),
    },
    errors: Object.values(errorDetail).reduce((total, value) => total + value, 0),
    errorDetail,
    notes: {
      ...notes,
      ...(slices.length > 1
        ? { sliceRps: slices.map((slice) => round(slice.good / slice.seconds, slice.good / slice.seconds < 100 ? 2 : 0)) }
        : {}),
    },
    cpu,
  };
}

export function runCannon(spec: CannonSpec): Promise<ScenarioResult> {
  return runWhole(cannonSliceable(spec));
}

/** A scenario that can be measured in slices: see runAlternating. */
export interface Sliceable {
  readonly name: string;
  readonly connections: number;
  /** Its whole measured duration, split into the slices. */
  readonly durationSeconds: number;
  warmUp(): Promise<void>;
  slice(seconds: number): Promise<Slice>;
  notes?(): Record<string, unknown>;
}

/**
 * `settle`: autocannon drops the requests still open when time is up, but the server finishes them;
 * when that takes long (a login's bcrypt takes a second), wait for the slowest request seen, so that
 * they do not slow down the next slice.
 */
export function cannonSliceable(spec: CannonSpec, settle = false): Sliceable {
  return {
    ...spec,
    warmUp: () => warmUp(spec),
    slice: async (seconds) => {
      const slice = await cannonSlice(spec, seconds);
      if (settle) await new Promise((resolve) => setTimeout(resolve, slice.latencyMs.max));
      return slice;
    },
  };
}

/** Warms a scenario up, then measures it in one stretch of its whole duration. */
async function runWhole(scenario: Sliceable): Promise<ScenarioResult> {
  await scenario.warmUp();
  return summarize(scenario.name, scenario.connections, [await scenario.slice(scenario.durationSeconds)], scenario.notes?.());
}

/**
 * Measures `a` and `b` in alternating slices (a b b a a b b a …; each gets its durationSeconds in
 * `slicesEach` slices) instead of one after the other: a drift of the machine's speed over the
 * minutes of a run then falls on both alike, and their ratio is about the software, not about when
 * each was measured. Both warm up first, `a` last (its warm-up may fill a cache that expires).
 */
export async function runAlternating(a: Sliceable, b: Sliceable, slicesEach: number): Promise<[ScenarioResult, ScenarioResult]> {
  await b.warmUp();
  const started = performance.now();
  await a.warmUp();
  const slices = new Map<Sliceable, Slice[]>([
    [a, []],
    [b, []],
  ]);
  let lastOfA = started;
  for (let i = 0; i < 2 * slicesEach; i++) {
    const next = (i + 1) % 4 < 2 ? a : b;
    slices.get(next)!.push(await next.slice(next.durationSeconds / slicesEach));
    if (next === a) lastOfA = performance.now();
  }
  // From the start of a's warm-up to the end of its last slice: what a cache filled by the warm-up must outlive.
  const secondsFromWarmUp = round((lastOfA - started) / 1000);
  return [a, b].map((side) =>
    summarize(side.name, side.connections, slices.get(side)!, {
      ...side.notes?.(),
      slices: slicesEach,
      ...(side === a ? { secondsFromWarmUp } : {}),
    }),
  ) as [ScenarioResult, ScenarioResult];
}

/** The JSON POST body of a GraphQL operation. */
export function gql(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** A request whose Authorization header rotates through `tokens`, one per request, across all connections. */
export function rotatingBearer(tokens: string[], body: string): autocannon.Request {
  let next = 0;
  return {
    method: "POST",
    path: "/graphql",
    body,
    setupRequest: (request) => {
      const token = tokens[next++ % tokens.length];
      request.headers = { ...request.headers, authorization: `Bearer ${token}` };
      return request;
    },
  };
}

/**
 * Raw bcrypt.compare at the server's cost and the login scenario's concurrency: `concurrency` loops,
 * each running one compare (of PasswordHasher's pre-hash, as login does) after another on libuv's
 * thread pool (default 4 threads, as in the server). Counted as autocannon counts login: the loops
 * start together, and only the compares that finish within the time count (autocannon drops the
 * requests still open when time is up, a few percent of a 10 s login measurement at cost 12); the
 * rest are waited for, uncounted, before it returns.
 */
export function rawBcrypt(
  name: string,
  password: string,
  hash: string,
  concurrency: number,
  durationSeconds: number,
  hooks?: MeasureHooks,
): Sliceable {
  const input = preHash(password);
  return {
    name,
    connections: concurrency,
    durationSeconds,
    warmUp: async () => {
      if (!(await bcrypt.compare(input, hash))) throw new Error("raw bcrypt baseline: the password does not match the seeded hash");
    },
    slice: async (seconds) => {
      await hooks?.before();
      const latencies: number[] = [];
      const started = performance.now();
      const deadline = started + seconds * 1000;
      let failures = 0;
      let cpu: CpuUse | undefined;
      const stop = setTimeout(() => (cpu = hooks?.after()), seconds * 1000);
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const t0 = performance.now();
            const ok = await bcrypt.compare(input, hash);
            const t1 = performance.now();
            if (t1 > deadline) break;
            latencies.push(t1 - t0);
            if (!ok) failures++;
          }
        }),
      );
      clearTimeout(stop);
      cpu ??= hooks?.after();
      latencies.sort((x, y) => x - y);
      const pct = (p: number) =>
        latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : 0;
      return {
        good: latencies.length - failures,
        requests: latencies.length,
        seconds,
        latencyMs: {
          p50: pct(50),
          p90: pct(90),
          p99: pct(99),
          max: latencies[latencies.length - 1] ?? 0,
          mean: latencies.reduce((x, y) => x + y, 0) / Math.max(1, latencies.length),
        },
        errorDetail: { wrongResult: failures },
        cpu,
      };
    },
  };
}

export function runRawBcrypt(...args: Parameters<typeof rawBcrypt>): Promise<ScenarioResult> {
  return runWhole(rawBcrypt(...args));
}
