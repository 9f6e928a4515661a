import type Redis from "ioredis";
import type { DataSource, EntitySubscriberInterface, EntityTarget, InsertEvent, ObjectLiteral, RemoveEvent, TransactionCommitEvent, UpdateEvent } from "typeorm";
import type { Clock } from "../core/clock";
import type { Logger } from "../core/logger";
import { compileCopier } from "./compile-copier";
import type { JoinedLookup } from "./joined-lookup";

/** Bounds the memory of the cache: a few KB an entry. */
const MAX_ENTRIES = 10_000;

export interface CachedLookup<Main, Joined> {
  find: JoinedLookup<Main, Joined>;
  /** Writes fields of a cached `main` row that this process just stored without telling the cache (a session touch). */
  patchMain(value: string, fields: Partial<Main>): void;
}

interface Entry {
  readonly found: { main: object; joined: object };
  readonly storedAt: number;
}

type Copier<T> = (entity: T) => T;

/**
 * Rows behind authentication (session or API key joined with its account), kept for `ttlSeconds`
 * so the requests an SPA page makes do not each ask the database. Every write to the tables they
 * come from empties the whole cache (see watchWrites), and a generation number keeps a lookup that
 * raced with such a write from storing what it read before it. Callers get copies, so nothing a
 * request does to its entities reaches another request.
 */
export class LookupCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  wrap<Main extends object, Joined extends object>(namespace: string, lookup: JoinedLookup<Main, Joined>): CachedLookup<Main, Joined> {
    const ttlMs = this.ttlSeconds * 1000;
    // Compiled from the first row found: the lookup hydrates every row with the same properties.
    let copyMain: Copier<Main> | undefined;
    let copyJoined: Copier<Joined> | undefined;
    return {
      find: async (value) => {
        if (ttlMs === 0) return lookup(value);
        const key = `${namespace}:${value}`;
        const now = this.clock.now().getTime();
        const hit = this.entries.get(key);
        if (hit && now - hit.storedAt < ttlMs && copyMain && copyJoined) {
          return { main: copyMain(hit.found.main as Main), joined: copyJoined(hit.found.joined as Joined) };
        }
        const generation = this.generation;
        const found = await lookup(value);
        if (found && generation === this.generation) {
          copyMain ??= compileCopier(found.main);
          copyJoined ??= compileCopier(found.joined);
          if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
          this.entries.delete(key);
          this.entries.set(key, { found: { main: copyMain(found.main), joined: copyJoined(found.joined) }, storedAt: now });
        }
        return found;
      },
      patchMain: (value, fields) => {
        const hit = this.entries.get(`${namespace}:${value}`);
        if (hit) Object.assign(hit.found.main, fields);
      },
    };
  }

  clear(): void {
    this.entries.clear();
    this.generation++;
  }
}

const DIRTY = Symbol("lookup-cache-dirty");

/**
 * Calls `onWrite` after every insert, update or delete of the given entities made through TypeORM
 * (listeners on), and again when a transaction that made one commits: a lookup between the write
 * and the commit may have read the row as it was. Returns a function that stops watching.
 */
export function watchWrites(dataSource: DataSource, entities: EntityTarget<ObjectLiteral>[], onWrite: () => void): () => void {
  const watched = new Set(entities.map((entity) => dataSource.getMetadata(entity).target));
  const written = (event: InsertEvent<ObjectLiteral> | UpdateEvent<ObjectLiteral> | RemoveEvent<ObjectLiteral>) => {
    if (!event.metadata || !watched.has(event.metadata.target)) return;
    if (event.queryRunner.isTransactionActive) (event.queryRunner.data as Record<symbol, boolean>)[DIRTY] = true;
    onWrite();
  };
  const subscriber: EntitySubscriberInterface = {
    afterInsert: written,
    afterUpdate: written,
    afterRemove: written,
    afterTransactionCommit(event: TransactionCommitEvent) {
      const data = event.queryRunner.data as Record<symbol, boolean>;
      if (!data[DIRTY]) return;
      delete data[DIRTY];
      onWrite();
    },
  };
  dataSource.subscribers.push(subscriber);
  return () => {
    const index = dataSource.subscribers.indexOf(subscriber);
    if (index >= 0) dataSource.subscribers.splice(index, 1);
  };
}

const CLEAR_CHANNEL = "account-platform:lookup-cache:clear";

/**
 * Spreads clears to the other server processes through Redis pub/sub: a session revoked in one
 * process stops working in all of them at once. Returns `publish` (call after a local write) and
 * `stop`. While Redis is down a process misses the news and may serve a cached row for up to the TTL.
 */
export function shareClearsThroughRedis(redis: Redis, cache: LookupCache, logger: Logger): { publish(): void; stop(): void } {
  // Its own connection (a subscribed one can do nothing else), waiting for Redis however long it takes.
  const subscriber = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on("error", () => undefined); // the main connection logs Redis being down
  subscriber.on("message", () => cache.clear());
  subscriber.subscribe(CLEAR_CHANNEL).catch((error: unknown) => logger.warn({ err: error }, "lookup cache: could not subscribe to clears"));
  return {
    publish: () => {
      redis.publish(CLEAR_CHANNEL, "1").catch(() => undefined);
    },
    stop: () => subscriber.disconnect(),
  };
}
