import { createHmac } from "node:crypto";
import autocannon from "autocannon";
import bcrypt from "bcrypt";
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
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    onInstance?.(instance);
  });
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function runCannon(spec: CannonSpec): Promise<ScenarioResult> {
  const base: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: spec.requests,
    verifyBody: (body) => spec.verifyBody(String(body)),
    timeout: 30,
  };
  if (spec.warmupRequests && spec.warmupRequests > 0) {
    await cannon({ ...base, amount: spec.warmupRequests }, spec.onInstance);
  }
  if (spec.warmupSeconds && spec.warmupSeconds > 0) {
    await cannon({ ...base, duration: spec.warmupSeconds }, spec.onInstance);
  }
  await spec.hooks?.before();
  const baseline = spec.extraErrors?.() ?? {};
  const result = await cannon({ ...base, duration: spec.durationSeconds }, spec.onInstance);
  const cpu = spec.hooks?.after();
  const extra = Object.fromEntries(Object.entries(spec.extraErrors?.() ?? {}).map(([key, value]) => [key, value - (baseline[key] ?? 0)]));
  const errorDetail: Record<string, number> = {
    connection: result.errors - result.timeouts,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    badBody: result.mismatches,
    ...extra,
  };
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const good = result["2xx"] - result.mismatches;
  return {
    name: spec.name,
    connections: spec.connections,
    durationSeconds: round(seconds),
    rps: round(good / seconds, 2),
    requests: result.requests.total,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.mean, 2),
    },
    errors: Object.values(errorDetail).reduce((sum, value) => sum + value, 0),
    errorDetail,
    notes: spec.notes?.(),
    cpu,
  };
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

/** PasswordHasher's pre-hash (src/modules/password/password-hasher.ts), so the baseline does what login does. */
function preHash(password: string): string {
  return createHmac("sha256", "account-platform/password/v1").update(password.normalize("NFC"), "utf8").digest("base64");
}

/**
 * Raw bcrypt.compare at the server's cost and the login scenario's concurrency: `concurrency` loops,
 * each running one compare after another on libuv's thread pool (default 4 threads, as in the server)
 * until the time is up.
 */
export async function runRawBcrypt(
  name: string, password: string, hash: string, concurrency: number, durationSeconds: number, hooks?: MeasureHooks,
): Promise<ScenarioResult> {
  const input = preHash(password);
  if (!(await bcrypt.compare(input, hash))) throw new Error("raw bcrypt baseline: the pre-hash does not match PasswordHasher's");
  await hooks?.before();
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await bcrypt.compare(input, hash);
        latencies.push(performance.now() - t0);
        if (!ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = hooks?.after();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]) : 0);
  return {
    name,
    connections: concurrency,
    durationSeconds: round(seconds),
    rps: round(latencies.length / seconds, 2),
    requests: latencies.length,
    latencyMs: {
      p50: pct(50), p90: pct(90), p99: pct(99), max: round(latencies[latencies.length - 1] ?? 0),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 2),
    },
    errors: failures,
    errorDetail: { wrongResult: failures },
    cpu,
  };
}
