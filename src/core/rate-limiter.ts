import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimit } from "../config";
import { AppError } from "../errors";
import { sha256Hex } from "./crypto";

/** Told the limiter's name each time one refuses (for /metrics). */
export type RefusalObserver = (limiter: string) => void;

/**
 * A named budget of `points` per `durationSeconds` for some key (an identifier, an IP, an account).
 * Keys are hashed, so the store never holds addresses or usernames in clear.
 */
export class RateLimiter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly limit: RateLimit,
    private readonly name = "",
    private readonly onRefused: RefusalObserver = () => undefined,
  ) {}

  private rateLimited(res: RateLimiterRes): AppError {
    this.onRefused(this.name);
    return new AppError("RATE_LIMITED", { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });
  }

  /** Throws RATE_LIMITED when the budget of `key` is spent, without spending any of it. */
  async assertAllowed(key: string): Promise<void> {
    const res = await this.limiter.get(sha256Hex(key));
    if (res && res.consumedPoints >= this.limit.points) throw this.rateLimited(res);
  }

  /** Spends one point, and throws RATE_LIMITED if there was none left. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(sha256Hex(key));
    } catch (error) {
      if (error instanceof RateLimiterRes) throw this.rateLimited(error);
      throw error;
    }
  }

  /** Spends one point for a failure; the next assertAllowed refuses once the budget is spent. */
  async penalize(key: string): Promise<void> {
    await this.limiter.penalty(sha256Hex(key), 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(sha256Hex(key));
  }

  /** Points `key` has left in its current window. */
  async remaining(key: string): Promise<number> {
    const res = await this.limiter.get(sha256Hex(key));
    return Math.max(0, this.limit.points - (res?.consumedPoints ?? 0));
  }
}

export type RateLimiterFactory = (name: string, limit: RateLimit) => RateLimiter;

/**
 * In-process counters by default; with Redis, counters shared by every server process, and an
 * in-process insurance limiter that takes over while Redis is unreachable.
 */
export function createRateLimiterFactory(redis: Redis | undefined, redisPrefix: string, onRefused?: RefusalObserver): RateLimiterFactory {
  return (name, limit) => {
    const options = { keyPrefix: `${redisPrefix}:rl:${name}`, points: limit.points, duration: limit.durationSeconds };
    const memory = new RateLimiterMemory(options);
    const limiter = redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
    return new RateLimiter(limiter, limit, name, onRefused);
  };
}
