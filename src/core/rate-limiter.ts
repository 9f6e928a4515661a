import type Redis from "ioredis";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import RateLimiterMemory from "rate-limiter-flexible/lib/RateLimiterMemory";
import RateLimiterRedis from "rate-limiter-flexible/lib/RateLimiterRedis";
import RateLimiterRes from "rate-limiter-flexible/lib/RateLimiterRes";
import type { RateLimit } from "../config";
import { AppError } from "../errors";
import { sha256Hex } from "./crypto";

/** Told the limiter's name each time one refuses (for /metrics). */
export type RefusalObserver = (limiter: string) => void;

/**
 * A named budget of `points` per `durationSeconds` for some key (an identifier, an IP, an account).
 * A point is reserved atomically before the work it limits (a Redis script, or one step of this
 * process), so 50 parallel calls get no more tries than 50 sequential ones; work that turns out not
 * to count gives its point back. Keys are hashed, so the store never holds addresses or usernames in clear.
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

  /** Reserves one point, or throws RATE_LIMITED; a refused call costs nothing. */
  async consume(key: string): Promise<void> {
    const hashed = sha256Hex(key);
    try {
      await this.limiter.consume(hashed);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // The store counted the refused call too; take it off, so only granted points fill the budget.
      await this.limiter.reward(hashed, 1);
      throw this.rateLimited(error);
    }
  }

  /** Gives back a point `consume` reserved, for work that turned out not to count against the budget. */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(sha256Hex(key), 1);
  }

  /** Forgets every point `key` spent: e.g. a right password clears the failures before it. */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(sha256Hex(key));
  }

  /** Points `key` has left in its current window. */
  async remaining(key: string): Promise<number> {
    const res = await this.limiter.get(sha256Hex(key));
    return Math.max(0, this.limit.points - (res?.consumedPoints ?? 0));
  }
}

/** One point of one budget: the limiter and the key it is spent for. */
export type Spend = readonly [RateLimiter, string];

/**
 * Reserves a point in each budget in turn; when one refuses, the points already reserved are given
 * back, so a call refused by one budget spends none of the others.
 */
export async function consumeAll(spends: readonly Spend[]): Promise<void> {
  const done: Spend[] = [];
  try {
    for (const spend of spends) {
      await spend[0].consume(spend[1]);
      done.push(spend);
    }
  } catch (error) {
    await refundAll(done);
    throw error;
  }
}

/** Gives back a point of each budget, for work refused or undone after consumeAll granted them. */
export async function refundAll(spends: readonly Spend[]): Promise<void> {
  await Promise.all(spends.map(([limiter, key]) => limiter.refund(key)));
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
