import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { LRUCache } from "lru-cache";
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  InsertEvent,
  EntityTarget,
  ObjectLiteral,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from "typeorm";
import type { Clock } from "../core/clock";
import type { Logger } from "../core/logger";
import { compileEntityPacker, type EntityPacker } from "./entity-packer";
import type { JoinedLookup, JoinedRow } from "./joined-lookup";

/** Bounds the memory of the cache, all lookups together: under 1 KB an entry. */
const MAX_ENTRIES = 10_000;

export interface CachedLookup<Main, Joined> {
  find(value: string): Promise<JoinedRow<Main, Joined> | null>;
  /** Writes fields of a cached `main` row that this process just stored without telling the cache (a session touch). */
  patchMain(value: string, fields: Partial<Main>): void;
}

/**
 * What a write touched in `table`: rows of the accounts `accountIds` (an account's own row, or rows
 * that belong to it), those with the ids `ids` when it says, any of theirs when `ids` is null; any
 * row at all when the write did not say whose (`accountIds: null`).
 */
export interface Touched {
  readonly table: string;
  readonly accountIds: readonly string[] | null;
  readonly ids: readonly string[] | null;
}

/** A cache that drops what writes touch: see `watchWrites` and `shareInvalidationsThroughRedis`. */
export interface Invalidatable {
  invalidate(touched: Touched): void;
  clear(): void;
}

/** One wrapped lookup: the tables its rows come from, and a count of the writes to them that named no account (see `find`). */
interface Lookup {
  readonly tables: { readonly main: string; readonly joined: string };
  generation: number;
}

/**
 * A cached row: `main` and `joined` packed (see entity-packer.ts: kept because every hit needs
 * entities of its own, which unpacking a flat row gives at half the memory of cloned entities).
 */
interface Entry {
  readonly lookup: Lookup;
  readonly mainId: string;
  readonly joinedId: string;
  readonly row: unknown[];
}

/**
 * Rows behind authentication (session or API key joined with its account), kept for `ttlSeconds`
 * so the requests an SPA page makes do not each ask the database. A write drops the rows it touched
 * (see `invalidate`), and a lookup that raced with a write to its account's rows (or to any row, for
 * a write that did not say whose) stores nothing, so what it read before the write is not kept.
 * Callers get entities unpacked from the stored rows, so nothing a request does to its entities
 * reaches another request.
 */
export class LookupCache implements Invalidatable {
  private readonly lookups: Lookup[] = [];
  /** Keyed by the looked-up value itself (a token's or key's hash: the lookups never share one). */
  private readonly entries: LRUCache<string, Entry>;
  /** The keys of each account's entries, so a write to one account visits its entries only. */
  private readonly keysByAccount = new Map<string, Set<string>>();
  private readonly enabled: boolean;
  /** Invalidations that named their accounts so far, and the last of them that named each account, while lookups run. */
  private named = 0;
  private readonly namedLast = new Map<string, number>();
  private lookupsRunning = 0;

  constructor(
    clock: Clock,
    ttlSeconds: number,
    /** Told of every lookup, whether memory answered it (for /metrics). */
    private readonly observe: (hit: boolean) => void = () => undefined,
  ) {
    this.entries = new LRUCache<string, Entry>({
      max: MAX_ENTRIES,
      // lru-cache keeps a row while its age is at most `ttl`; ours are stale at `ttlSeconds` exactly.
      ttl: Math.max(1, ttlSeconds * 1000 - 1),
      ttlResolution: 0,
      perf: { now: () => clock.now().getTime() },
      // Every way an entry leaves (evicted, expired, deleted, replaced) takes it out of the index.
      dispose: (entry, key) => {
        const keys = this.keysByAccount.get(entry.joinedId);
        if (keys?.delete(key) && keys.size === 0) this.keysByAccount.delete(entry.joinedId);
      },
    });
    this.enabled = ttlSeconds > 0;
  }

  wrap<Main extends { id: string }, Joined extends { id: string }>(lookup: JoinedLookup<Main, Joined>): CachedLookup<Main, Joined> {
    if (!this.enabled) return { find: lookup, patchMain: () => undefined };
    const state: Lookup = { tables: lookup.tables, generation: 0 };
    this.lookups.push(state);
    // Compiled from the first row found: the lookup hydrates every row with the same properties.
    let packers: { main: EntityPacker<Main>; joined: EntityPacker<Joined> } | undefined;
    const found = (value: string) => {
      const entry = this.entries.get(value);
      return entry?.lookup === state ? entry : undefined;
    };
    return {
      find: async (value) => {
        const hit = found(value);
        if (hit && packers) {
          this.observe(true);
          return { main: packers.main.unpack(hit.row, 0), joined: packers.joined.unpack(hit.row, packers.main.width) };
        }
        this.observe(false);
        const generation = state.generation;
        const since = this.named;
        this.lookupsRunning++;
        let result: JoinedRow<Main, Joined> | null;
        let raced: boolean;
        try {
          result = await lookup(value);
          raced = generation !== state.generation || (result !== null && (this.namedLast.get(result.joined.id) ?? 0) > since);
        } finally {
          if (--this.lookupsRunning === 0) this.namedLast.clear();
        }
        if (result && !raced) {
          packers ??= { main: compileEntityPacker(result.main), joined: compileEntityPacker(result.joined) };
          const row: unknown[] = new Array(packers.main.width + packers.joined.width);
          packers.main.pack(result.main, row, 0);
          packers.joined.pack(result.joined, row, packers.main.width);
          shareEqualStrings(row, value);
          this.entries.set(value, { lookup: state, mainId: result.main.id, joinedId: result.joined.id, row });
          const keys = this.keysByAccount.get(result.joined.id);
          if (keys) keys.add(value);
          else this.keysByAccount.set(result.joined.id, new Set([value]));
        }
        return result;
      },
      patchMain: (value, fields) => {
        const hit = found(value);
        if (hit && packers) packers.main.pack(Object.assign(packers.main.unpack(hit.row, 0), fields), hit.row, 0);
      },
    };
  }

  /**
   * Drops the rows a write touched: a session's or key's own row (or all of an account's), or every
   * row joined with an account. Lookups running meanwhile store nothing of those accounts (of any,
   * when the write did not say whose; one table written, both lookups affected when it is the
   * accounts). Visits the named accounts' entries only; a write that named none, every entry.
   */
  invalidate({ table, accountIds, ids }: Touched): void {
    const affected = this.lookups.filter((lookup) => lookup.tables.main === table || lookup.tables.joined === table);
    if (affected.length === 0) return;
    if (!accountIds || this.namedLast.size >= MAX_ENTRIES) {
      // Under a steady load lookups may never all finish at once: past a bound, the accounts named go too.
      for (const lookup of accountIds ? this.lookups : affected) lookup.generation++;
      this.namedLast.clear();
    }
    if (accountIds && this.lookupsRunning > 0) {
      this.named++;
      for (const accountId of accountIds) this.namedLast.set(accountId, this.named);
    }
    const rows = ids && new Set(ids);
    // Copied first: each delete takes its key out of the index being read.
    const keys = accountIds ? accountIds.flatMap((accountId) => [...(this.keysByAccount.get(accountId) ?? [])]) : [...this.entries.keys()];
    for (const key of keys) {
      const entry = this.entries.peek(key, { allowStale: true });
      if (!entry) continue;
      const { main, joined } = entry.lookup.tables;
      if (main !== table && joined !== table) continue;
      // The keys are the named accounts' own (the joined row is the account the main row belongs to).
      const touched = !accountIds || joined === table || !rows || rows.has(entry.mainId);
      if (touched) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
    for (const lookup of this.lookups) lookup.generation++;
  }
}

/**
 * Keeps one copy of strings a row holds more than once: the key is also the row's token hash, and
 * the session's account id is also the account's id. Runs on a miss only.
 */
function shareEqualStrings(row: unknown[], key: string): void {
  const seen = new Map<string, string>([[key, key]]);
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (typeof value !== "string") continue;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, value);
    else row[i] = first;
  }
}

const TOUCHED = Symbol("lookup-cache-touched");
const NAMED = Symbol("lookup-cache-named");

/** A row a write names: its id and the account it belongs to (an account's own id for an account). */
export interface NamedRow {
  readonly id: string;
  readonly accountId: string;
}

/**
 * Runs `write`, an update or delete by criteria in `manager`'s transaction, telling the caches that it
 * touches only `rows` (or, with `{ accountId }` alone, only rows of that account): TypeORM names no
 * row for such a write (see touchedBy), and the caches would drop the whole table.
 */
export async function namingRows<T>(
  manager: EntityManager,
  rows: readonly (NamedRow | { readonly accountId: string })[],
  write: () => Promise<T>,
): Promise<T> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error("namingRows: the write must run in a transaction");
  const data = runner.data as Record<symbol, unknown>;
  data[NAMED] = rows;
  try {
    return await write();
  } finally {
    delete data[NAMED];
  }
}

/**
 * What an insert, update or removal touched. TypeORM names the row for `insert`, `save` and `remove`
 * of an entity; for the query builder, and so for `update(criteria)` and `delete(criteria)`, it does
 * not, and the whole table counts as touched unless the write ran in `namingRows`: every service's
 * write by criteria does, so it drops its own account's rows only. Unnamed, and so dropping every
 * cached row of its table: a role granted (grantRole, a rare operator's write).
 */
function touchedBy(event: InsertEvent<ObjectLiteral> | UpdateEvent<ObjectLiteral> | RemoveEvent<ObjectLiteral>): Touched {
  const table = event.metadata.tableName;
  const named = (event.queryRunner.data as Record<symbol, readonly Partial<NamedRow>[] | undefined>)[NAMED];
  if (named) {
    const ids = named.map((row) => row.id);
    return { table, accountIds: named.map((row) => row.accountId!), ids: ids.every(Boolean) ? (ids as string[]) : null };
  }
  const row = ("databaseEntity" in event ? event.databaseEntity : undefined) ?? event.entity;
  const id: unknown = row?.id;
  const accountId: unknown = row && "accountId" in row ? row.accountId : id;
  return typeof id === "string" && typeof accountId === "string"
    ? { table, accountIds: [accountId], ids: [id] }
    : { table, accountIds: null, ids: null };
}

/** The entities whose updates and deletes a cache drops rows for, and those whose inserts it does too. */
export interface WatchedEntities {
  readonly changed: readonly EntityTarget<ObjectLiteral>[];
  /** A cache that keeps only rows it found by a value unique to them (the authentication cache) has no use for inserts. */
  readonly inserted: readonly EntityTarget<ObjectLiteral>[];
}

/**
 * Calls `onWrite` after every update or delete of `changed` entities and every insert of `inserted`
 * ones made through TypeORM (listeners on), and again for each when a transaction that made one
 * ends: a lookup between the write and the commit may have read the row as it was, and on SQLite
 * (one connection) a rolled-back row as it never was. Returns a function that stops watching.
 */
export function watchWrites(dataSource: DataSource, entities: WatchedEntities, onWrite: (touched: Touched) => void): () => void {
  const targets = (list: readonly EntityTarget<ObjectLiteral>[]) => new Set(list.map((entity) => dataSource.getMetadata(entity).target));
  const changed = targets(entities.changed);
  const inserted = targets(entities.inserted);
  const written = (watched: Set<unknown>, event: InsertEvent<ObjectLiteral> | UpdateEvent<ObjectLiteral> | RemoveEvent<ObjectLiteral>) => {
    if (!event.metadata || !watched.has(event.metadata.target)) return;
    const touched = touchedBy(event);
    if (event.queryRunner.isTransactionActive) {
      const data = event.queryRunner.data as Record<symbol, Touched[] | undefined>;
      (data[TOUCHED] ??= []).push(touched);
    }
    onWrite(touched);
  };
  const ended = (event: TransactionCommitEvent | TransactionRollbackEvent) => {
    const data = event.queryRunner.data as Record<symbol, Touched[] | undefined>;
    const touched = data[TOUCHED];
    if (!touched) return;
    delete data[TOUCHED];
    touched.forEach(onWrite);
  };
  const subscriber: EntitySubscriberInterface = {
    afterInsert: (event) => written(inserted, event),
    afterUpdate: (event) => written(changed, event),
    afterRemove: (event) => written(changed, event),
    afterTransactionCommit: ended,
    afterTransactionRollback: ended,
  };
  dataSource.subscribers.push(subscriber);
  return () => {
    const index = dataSource.subscribers.indexOf(subscriber);
    if (index >= 0) dataSource.subscribers.splice(index, 1);
  };
}

function invalidationChannel(redisPrefix: string): string {
  return `${redisPrefix}:lookup-cache:clear`;
}

/** A message on the channel: who sent it, and what the write touched. */
interface Invalidation extends Touched {
  readonly from: string;
}

/**
 * Tells every server process that shares invalidations through `redis` under `redisPrefix` to drop
 * the rows `touched` names; `sender` names the publisher, so that a process can skip its own.
 */
export async function publishInvalidation(redis: Redis, redisPrefix: string, sender: string, touched: Touched): Promise<void> {
  const message: Invalidation = { from: sender, table: touched.table, accountIds: touched.accountIds, ids: touched.ids };
  await redis.publish(invalidationChannel(redisPrefix), JSON.stringify(message));
}

/** A message this version cannot read (another version's) empties the cache: correctness first. */
function parseInvalidation(message: string): Invalidation | null {
  try {
    const parsed = JSON.parse(message) as Partial<Invalidation> | null;
    const strings = (value: unknown) => value === null || (Array.isArray(value) && value.every((each) => typeof each === "string"));
    const valid = typeof parsed?.from === "string" && typeof parsed.table === "string" && strings(parsed.accountIds) && strings(parsed.ids);
    return valid ? (parsed as Invalidation) : null;
  } catch {
    return null;
  }
}

/**
 * Spreads invalidations to the other server processes through Redis pub/sub: a session revoked in
 * one process stops working in all of them at once. Returns `publish` (call after a local write) and
 * `stop`. A publish fails after the command deadline when Redis is down or not answering, as it does
 * at once when the connection is gone; the local invalidation has happened already. While Redis is
 * down a process misses the news and may serve a cached row for up to the TTL.
 */
export function shareInvalidationsThroughRedis(
  redis: Redis,
  redisPrefix: string,
  cache: Invalidatable,
  logger: Logger,
): { publish(touched: Touched): void; stop(): void } {
  // Its own connection (a subscribed one can do nothing else), waiting for Redis however long it
  // takes: without the command deadline, so a slow start does not leave it unsubscribed for good.
  const subscriber = redis.duplicate({
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
  });
  subscriber.on("error", () => undefined); // the main connection logs Redis being down
  // Redis hands a process its own messages back too, after the write already invalidated its cache:
  // left alone, each would invalidate again, dropping what was cached since.
  const sender = randomUUID();
  subscriber.on("message", (_channel: string, message: string) => {
    const invalidation = parseInvalidation(message);
    if (!invalidation) cache.clear();
    else if (invalidation.from !== sender) cache.invalidate(invalidation);
  });
  subscriber
    .subscribe(invalidationChannel(redisPrefix))
    .catch((error: unknown) => logger.warn({ err: error }, "lookup cache: could not subscribe to invalidations"));
  return {
    publish: (touched) => {
      publishInvalidation(redis, redisPrefix, sender, touched).catch(() => undefined);
    },
    stop: () => subscriber.disconnect(),
  };
}
