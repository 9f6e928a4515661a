import { LRUCache } from "lru-cache";
import type { EntityManager } from "typeorm";
import type { Clock } from "../../core/clock";
import type { MaybePromise } from "../../core/maybe-promise";
import type { Invalidatable, Touched } from "../../db/lookup-cache";
import { IdentityEntity, RealNameCheckEntity, RecoveryCodeEntity, TotpCredentialEntity, type AccountEntity } from "../../entities";
import { ContactKind } from "../contact/contact.types";
import { latestCheck } from "../real-name/real-name.service";
import { readAuthenticator, type SecondFactorRows } from "../factors/second-factors";

/** Accounts kept: those active within the TTL, at a few kilobytes each. */
const MAX_ACCOUNTS = 5_000;

/** The rows the account center's page shows of one account, besides the account itself. Read-only: they are shared. */
export interface AccountRows {
  /** Every identity: email, phone and providers, oldest first. */
  readonly identities: readonly IdentityEntity[];
  readonly factors: SecondFactorRows;
  /** The latest pending, passed or failed real-name check. */
  readonly realName: RealNameCheckEntity | null;
}

/** The entities AccountRowsCache keeps rows of: writes to them drop the account's entry. */
export const ACCOUNT_ROW_ENTITIES = [IdentityEntity, TotpCredentialEntity, RecoveryCodeEntity, RealNameCheckEntity];

async function readAccountRows(manager: EntityManager, accountId: string): Promise<AccountRows> {
  const [identities, authenticator, realName] = await Promise.all([
    manager.find(IdentityEntity, { where: { accountId }, order: { createdAt: "ASC", id: "ASC" } }),
    readAuthenticator(manager, accountId),
    latestCheck(manager, accountId),
  ]);
  const contacts = identities.filter((identity) => identity.kind === ContactKind.EMAIL || identity.kind === ContactKind.PHONE);
  return { identities, factors: { contacts, ...authenticator }, realName };
}

/** A read of an account's rows: its promise, and the rows themselves once it resolved. */
interface Read {
  readonly promise: Promise<AccountRows>;
  rows?: AccountRows;
}

/**
 * The rows behind the account center's page, read once per account (four queries, in parallel) and
 * kept per account for `ttlSeconds`, so the page's fields (email, phone, identities, security,
 * realName, capabilities) cost no query on a repeat. The field resolvers of one request share one
 * read even when caching is off (keyed by the request's own account entity). A write to any of
 * `ACCOUNT_ROW_ENTITIES` drops its account's entry (all entries when it does not say whose), here and
 * over Redis, as the authentication cache does. Rows already read are handed over as they are, not as
 * a promise, so the page's fields resolve at once (see `whenReady`). Only what the page shows reads
 * from here: checks before a change read the database.
 */
export class AccountRowsCache implements Invalidatable {
  /** A read per account: one in flight is shared, and a write meanwhile drops it, so it is never served again. */
  private readonly entries: LRUCache<string, Read> | null;
  private readonly perRequest = new WeakMap<AccountEntity, Read>();
  private readonly tables: Set<string>;

  constructor(
    private readonly manager: EntityManager,
    clock: Clock,
    ttlSeconds: number,
    /** Told of every read of an account's rows while caching is on, whether memory answered it (for /metrics). */
    private readonly observe: (hit: boolean) => void = () => undefined,
  ) {
    this.tables = new Set(ACCOUNT_ROW_ENTITIES.map((entity) => manager.connection.getMetadata(entity).tableName));
    this.entries =
      ttlSeconds > 0
        ? new LRUCache({
            max: MAX_ACCOUNTS,
            ttl: Math.max(1, ttlSeconds * 1000 - 1),
            ttlResolution: 0,
            perf: { now: () => clock.now().getTime() },
          })
        : null;
  }

  /** The rows of the request's account (the entity authentication gave it): the rows when they are in memory, else their read. */
  of(account: AccountEntity): MaybePromise<AccountRows> {
    let read = this.perRequest.get(account);
    if (!read) {
      read = this.cached(account.id);
      this.perRequest.set(account, read);
    }
    return read.rows ?? read.promise;
  }

  private cached(accountId: string): Read {
    const hit = this.entries?.get(accountId);
    if (this.entries) this.observe(hit !== undefined);
    if (hit) return hit;
    const read: Read = { promise: readAccountRows(this.manager, accountId) };
    read.promise.then(
      (rows) => {
        read.rows = rows;
      },
      () => {
        if (this.entries?.get(accountId) === read) this.entries.delete(accountId);
      },
    );
    this.entries?.set(accountId, read);
    return read;
  }

  invalidate({ table, accountIds }: Touched): void {
    if (!this.tables.has(table)) return;
    if (!accountIds) this.clear();
    else for (const accountId of accountIds) this.entries?.delete(accountId);
  }

  clear(): void {
    this.entries?.clear();
  }
}
