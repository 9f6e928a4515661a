import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import type { DataSource, EntitySubscriberInterface, EntityTarget, InsertEvent, ObjectLiteral, RemoveEvent, TransactionCommitEvent, UpdateEvent } from "typeorm";
import type { Clock } from "../core/clock";
import type { Logger } from "../core/logger";
import { compileEntityPacker, type EntityPacker } from "./entity-packer";
import type { JoinedLookup } from "./joined-lookup";

/** Bounds the memory of the cache, all lookups together: under 1 KB an entry. */
const MAX_ENTRIES = 10_000;

export interface CachedLookup<Main, Joined> {
  find: JoinedLookup<Main, Joined>;
  /** Writes fields of a cached `main` row that this process just stored without telling the cache (a session touch). */
  patchMain(value: string, fields: Partial<Main>): void;
}

/** A cached row: when it was stored, then `main` and `joined` packed (see entity-packer.ts). */
type PackedRow = unknown[];

/**
 * Rows behind authentication (session or API key joined with its account), kept for `ttlSeconds`
 * so the requests an SPA page makes do not each ask the database. Every write to the tables they
 * come from empties the whole cache (see watchWrites), and a generation number keeps a lookup that
 * raced with such a write from storing what it read before it. Rows are kept packed, and callers
 * get entities unpacked from them, so nothing a request does to its entities reaches another request.
 */
export class LookupCache {
  /** One map per wrapped lookup, keyed by the looked-up value itself, which the row then shares. */
  private readonly lookups: Array<Map<string, PackedRow>> = [];
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    /** Told of every lookup, whether memory answered it (for /metrics). */
    private readonly observe: (hit: boolean) => void = () => undefined,
  ) {}

  wrap<Main extends object, Joined extends object>(lookup: JoinedLookup<Main, Joined>): CachedLookup<Main, Joined> {
    const ttlMs = this.ttlSeconds * 1000;
    const rows = new Map<string, PackedRow>();
    this.lookups.push(rows);
    // Compiled from the first row found: the lookup hydrates every row with the same properties.
    let packers: { main: EntityPacker<Main>; joined: EntityPacker<Joined> } | undefined;
    return {
      find: async (value) => {
        if (ttlMs === 0) return lookup(value);
        const now = this.clock.now().getTime();
        const hit = rows.get(value);
        if (hit && now - (hit[0] as number) < ttlMs && packers) {
          this.observe(true);
          return { main: packers.main.unpack(hit, 1), joined: packers.joined.unpack(hit, 1 + packers.main.width) };
        }
        this.observe(false);
        const generation = this.generation;
        const found = await lookup(value);
        if (found && generation === this.generation) {
          packers ??= { main: compileEntityPacker(found.main), joined: compileEntityPacker(found.joined) };
          const row: PackedRow = new Array(1 + packers.main.width + packers.joined.width);
          row[0] = now;
          packers.main.pack(found.main, row, 1);
          packers.joined.pack(found.joined, row, 1 + packers.main.width);
          shareEqualStrings(row, value);
          this.makeRoom();
          rows.delete(value);
          rows.set(value, row);
        }
        return found;
      },
      patchMain: (value, fields) => {
        const hit = rows.get(value);
        if (hit && packers) packers.main.pack(Object.assign(packers.main.unpack(hit, 1), fields), hit, 1);
      },
    };
  }

  clear(): void {
    for (const rows of this.lookups) rows.clear();
    this.generation++;
  }

  /** Drops the oldest row of the fullest lookup when the cache is full. */
  private makeRoom(): void {
    let total = 0;
    let fullest = this.lookups[0];
    for (const rows of this.lookups) {
      total += rows.size;
      if (rows.size > fullest.size) fullest = rows;
    }
    if (total >= MAX_ENTRIES) fullest.delete(fullest.keys().next().value as string);
  }
}

/**
 * Keeps one copy of strings a row holds more than once: the key is also the row's token hash, and
 * the session's account id is also the account's id. Runs on a miss only.
 */
function shareEqualStrings(row: PackedRow, key: string): void {
  const seen = new Map<string, string>([[key, key]]);
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (typeof value !== "string") continue;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, value);
    else row[i] = first;
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

function clearChannel(redisPrefix: string): string {
  return `${redisPrefix}:lookup-cache:clear`;
}

/**
 * Tells every server process that shares clears through `redis` under `redisPrefix` to empty its
 * cache; `sender` names the publisher, so that a process can skip the clears it sent itself.
 */
export async function publishCacheClear(redis: Redis, redisPrefix: string, sender: string): Promise<void> {
  await redis.publish(clearChannel(redisPrefix), sender);
}

/**
 * Spreads clears to the other server processes through Redis pub/sub: a session revoked in one
 * process stops working in all of them at once. Returns `publish` (call after a local write) and
 * `stop`. A publish fails after the command deadline when Redis is down or not answering, as it does
 * at once when the connection is gone; the local clear has happened already. While Redis is down a
 * process misses the news and may serve a cached row for up to the TTL.
 */
export function shareClearsThroughRedis(
  redis: Redis, redisPrefix: string, cache: LookupCache, logger: Logger,
): { publish(): void; stop(): void } {
  // Its own connection (a subscribed one can do nothing else), waiting for Redis however long it
  // takes: without the command deadline, so a slow start does not leave it unsubscribed for good.
  const subscriber = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
  subscriber.on("error", () => undefined); // the main connection logs Redis being down
  // Redis hands a process its own clears back too, after the write already emptied its cache: left
  // alone, each would empty it again, dropping what was cached since.
  const sender = randomUUID();
  subscriber.on("message", (_channel: string, from: string) => {
    if (from !== sender) cache.clear();
  });
  subscriber.subscribe(clearChannel(redisPrefix)).catch((error: unknown) => logger.warn({ err: error }, "lookup cache: could not subscribe to clears"));
  return {
    publish: () => {
      publishCacheClear(redis, redisPrefix, sender).catch(() => undefined);
    },
    stop: () => subscriber.disconnect(),
  };
}
