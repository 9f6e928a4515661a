import Redis, { type RedisOptions } from "ioredis";
import { withinDeadline } from "./deadline";
import type { Logger } from "./logger";

/** Longest wait for the first connection at start-up; a Redis that is down or frozen does not hold the server back. */
export const START_WAIT_MS = 5000;

/**
 * Connects before the server takes requests: rate-limit commands fail fast instead of queueing, so
 * any sent before the connection is up would be counted by this process alone. A Redis that is
 * down does not stop the server; ioredis keeps reconnecting, and limits count per process meanwhile.
 * `commandTimeoutMs` bounds every command: a Redis that stops answering without closing its
 * connections (frozen, or cut off by the network) fails commands like one that is down, and the
 * in-process fallbacks take over (rate-limiter-flexible's insurance limiter, the cache's local clears).
 */
/** Every connection of ours: connected by the caller, and no command queued or waited on without end. */
export function boundedRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    connectTimeout: START_WAIT_MS,
  };
}

export async function connectRedis(url: string, commandTimeoutMs: number, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, boundedRedisOptions(commandTimeoutMs));
  redis.on("error", (error) => logger.warn({ err: error }, "redis unavailable; rate limits count in this process until it is back"));
  try {
    // connect() waits for Redis's answer to its ready check, which a frozen Redis never gives.
    await withinDeadline(redis.connect(), START_WAIT_MS);
  } catch {
    // Logged by the error handler above.
  }
  return redis;
}
