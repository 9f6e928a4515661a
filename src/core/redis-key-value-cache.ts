import type { KeyValueCache, KeyValueCacheSetOptions } from "@apollo/utils.keyvaluecache";
import type Redis from "ioredis";

/**
 * Apollo's KeyValueCache on the deployment's Redis, under `<prefix>:` keys, so every server process
 * knows a persisted query any of them was sent. Each command is bounded by the client's command
 * timeout; a Redis that is down or frozen reads as a miss (the client then sends the query text
 * again, as the protocol provides) and a write that fails is dropped: never a failed request.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`${this.prefix}:${key}`)) ?? undefined;
    } catch {
      // Logged by the client's error handler (see connectRedis).
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      if (options?.ttl) await this.redis.set(`${this.prefix}:${key}`, value, "EX", options.ttl);
      else await this.redis.set(`${this.prefix}:${key}`, value);
    } catch {
      // As in get: the next request with this hash is a miss and registers it again.
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(`${this.prefix}:${key}`)) > 0;
    } catch {
      return false;
    }
  }
}
