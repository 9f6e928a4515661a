import fc from "fast-check";

/** Runs per property (FUZZ_RUNS, default 25), and the seed to replay (FUZZ_SEED; printed with every failure). */
export function fuzzParameters(label: string): { numRuns: number; seed: number; label: string } {
  const numRuns = Number(process.env.FUZZ_RUNS ?? 25);
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  return { numRuns, seed, label };
}

export interface Bounds {
  readonly numRuns: number;
  readonly seed: number;
  readonly label: string;
  /** Wall-clock budget for the generated runs; past it the remaining runs are skipped (and reported). */
  readonly timeLimitMs?: number;
  /** How many more executions shrinking may spend after the first failure. */
  readonly shrinkBudget?: number;
}

/** Counts executions across every property, for the summary line. */
export const fuzzStats = { properties: 0, executions: 0, skippedForTime: 0, outcomes: {} as Record<string, Record<string, number>> };

/** Records what one run answered (OK or its first error code), to show how deep the fuzzer gets. */
export function recordOutcome(label: string, outcome: string): void {
  const forLabel = (fuzzStats.outcomes[label] ??= {});
  forLabel[outcome] = (forLabel[outcome] ?? 0) + 1;
}

function truncate(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v) => (typeof v === "string" && v.length > 120 ? `${v.slice(0, 120)}…(${v.length} chars)` : v)) ??
    String(value)
  );
}

/**
 * fc.check with hard bounds on time and on shrinking (each execution is an HTTP request): once the
 * budget is spent, later executions pass without running, so fast-check settles on the smallest
 * failure found so far. On failure, throws with the seed, the path and the counter-example (long
 * strings cut), ready for FUZZ_SEED to replay.
 */
export async function checkBounded<Ts extends [unknown, ...unknown[]]>(
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void>,
  bounds: Bounds,
): Promise<void> {
  const timeLimitMs = bounds.timeLimitMs ?? 20_000;
  const shrinkBudget = bounds.shrinkBudget ?? 30;
  const started = Date.now();
  let failures = 0;
  let afterFailure = 0;
  let executed = 0;
  let skipped = 0;
  // Shrinking a 90 kB string pulls shrink candidates by the thousand: cap what shrinking may pull at all.
  const limited = arbitraries.map((arbitrary) => fc.limitShrink(arbitrary, shrinkBudget)) as unknown as {
    [K in keyof Ts]: fc.Arbitrary<Ts[K]>;
  };
  const property = fc.asyncProperty(...limited, async (...args: Ts) => {
    if (failures > 0 && ++afterFailure > shrinkBudget) return;
    if (failures === 0 && Date.now() - started > timeLimitMs) {
      skipped++;
      return;
    }
    executed++;
    try {
      await predicate(...args);
    } catch (error) {
      failures++;
      throw error;
    }
  });
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns: bounds.numRuns, seed: bounds.seed });
  fuzzStats.properties++;
  fuzzStats.executions += executed;
  fuzzStats.skippedForTime += skipped;
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${bounds.label}: property failed after ${details.numRuns} runs and ${details.numShrinks} shrinks\n` +
        `replay with FUZZ_SEED=${details.seed} (path ${details.counterexamplePath})\n` +
        `counterexample: ${truncate(details.counterexample)}\n${error}`,
    );
  }
}
