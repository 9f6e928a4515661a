import { IsNull, LessThanOrEqual, Not, type DataSource } from "typeorm";
import type { BackgroundTasks } from "../core/background";
import type { Clock } from "../core/clock";
import type { Logger } from "../core/logger";
import { ChallengeEntity, OAuthStateEntity } from "../entities";

/**
 * Deletes the rows nothing can use any more: OAuth states and challenges that are expired (by the
 * injected clock) or used. Anyone can make OAuth states, so without this they only ever grow.
 */
export async function sweepExpired(dataSource: DataSource, clock: Clock): Promise<number> {
  const now = clock.now();
  let deleted = 0;
  for (const entity of [OAuthStateEntity, ChallengeEntity]) {
    for (const criteria of [{ expiresAt: LessThanOrEqual(now) }, { consumedAt: Not(IsNull()) }]) {
      deleted += (await dataSource.getRepository(entity).delete(criteria)).affected ?? 0;
    }
  }
  return deleted;
}

/**
 * Sweeps every `intervalSeconds` in the background (tracked, so shutdown waits for a sweep under
 * way). A timer, not a job queue: every process may sweep, and the deletes do not mind repeating.
 */
export function startSweeper(
  dataSource: DataSource,
  clock: Clock,
  logger: Logger,
  background: BackgroundTasks,
  intervalSeconds: number,
): { stop(): void } {
  const timer = setInterval(() => {
    background.run("sweep-expired", async () => {
      const deleted = await sweepExpired(dataSource, clock);
      if (deleted > 0) logger.debug({ deleted }, "swept expired and used OAuth states and challenges");
    });
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
