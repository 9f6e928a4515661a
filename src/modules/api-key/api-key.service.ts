import { randomUUID } from "node:crypto";
import type { DataSource, SelectQueryBuilder } from "typeorm";
import type { Clock } from "../../core/clock";
import { randomToken, sha256Hex } from "../../core/crypto";
import { createJoinedLookup } from "../../db/joined-lookup";
import { keysetPage, type KeysetPage } from "../../db/keyset-page";
import { lockUntilCommit } from "../../db/locks";
import { namingRows, type CachedLookup, type LookupCache } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, ApiKeyEntity } from "../../entities";
import { AppError } from "../../errors";
import type { KeysetPosition, PageWindow } from "../../graphql/connection";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { isUsable } from "../factors/usable";
import type { NoticeService } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";

export const API_KEY_PREFIX = "ak";
/** What a key may do; the values are what the `scopes` column stores, the names what the API shows. */
export enum ApiKeyScope {
  ACCOUNT_READ = "account:read",
  ACCOUNT_WRITE = "account:write",
}
export const API_KEY_SCOPES: readonly ApiKeyScope[] = Object.values(ApiKeyScope);
/** lastUsedAt is written at most this often, so a busy key does not turn reads into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreatedKey {
  readonly apiKey: ApiKeyEntity;
  readonly secret: string;
}

export class ApiKeyService {
  private readonly byKeyHash: CachedLookup<ApiKeyEntity, AccountEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
    cache: LookupCache,
    /** How many keys an account may have at once. */
    readonly maxPerAccount: number,
  ) {
    this.byKeyHash = cache.wrap(
      createJoinedLookup(dataSource, {
        main: ApiKeyEntity,
        joined: AccountEntity,
        joinColumn: "account_id",
        whereColumn: "key_hash",
      }),
    );
  }

  /** Only a person in a recently verified session creates keys; the secret is returned once and kept as a hash. */
  async create(auth: Authenticated, name: string, scopes: ApiKeyScope[], expiresAt: Date | null, meta: RequestMeta): Promise<CreatedKey> {
    // Made without a step-up, a key cools like a factor would: a stolen session on an account with
    // nothing to step up with must not turn at once into a way in that outlives it.
    const { newFactorUsableFrom } = await this.stepUp.requireStepUp(auth, SensitiveAction.CREATE_API_KEY);
    if (expiresAt && expiresAt <= this.clock.now())
      throw AppError.badInput("expiresAt", "NOT_IN_FUTURE", "expiresAt must be in the future");
    const secret = randomToken(API_KEY_PREFIX);
    const now = this.clock.now();
    const apiKey = this.dataSource.getRepository(ApiKeyEntity).create({
      id: randomUUID(),
      accountId: auth.account.id,
      name,
      prefix: secret.slice(0, API_KEY_PREFIX.length + 1 + 8),
      keyHash: sha256Hex(secret),
      scopes: [...new Set(scopes)].join(" "),
      createdAt: now,
      lastUsedAt: null,
      expiresAt,
      usableFrom: newFactorUsableFrom,
    });
    const sendNotice = await this.transaction(async (manager) => {
      // Parallel creations take turns, so none passes the limit on a count that another is about to change.
      await lockUntilCommit(manager, `api-keys:${auth.account.id}`);
      const count = await manager.countBy(ApiKeyEntity, { accountId: auth.account.id });
      if (count >= this.maxPerAccount)
        throw AppError.badInput("name", "LIMIT_REACHED", `an account may have at most ${this.maxPerAccount} API keys; revoke one first`, {
          max: this.maxPerAccount,
        });
      const notice = await this.notices.wayInChanged(manager, auth.account.id, "API_KEY_CREATED");
      await manager.insert(ApiKeyEntity, apiKey);
      await this.audit.record(manager, auth.account.id, AuditEventType.API_KEY_CREATED, meta, {
        apiKeyId: apiKey.id,
        scopes: apiKey.scopes,
      });
      return notice;
    });
    sendNotice();
    return { apiKey, secret };
  }

  /** A page of the account's keys, newest first (expired ones too, until revoked). */
  list(accountId: string, window: PageWindow<KeysetPosition>): Promise<KeysetPage<ApiKeyEntity>> {
    return keysetPage(() => this.ofAccount(accountId), { at: "key.createdAt", id: "key.id" }, window);
  }

  /** How many keys the account has, for the connection's totalCount. */
  count(accountId: string): Promise<number> {
    return this.ofAccount(accountId).getCount();
  }

  private ofAccount(accountId: string): SelectQueryBuilder<ApiKeyEntity> {
    return this.dataSource.getRepository(ApiKeyEntity).createQueryBuilder("key").where("key.accountId = :accountId", { accountId });
  }

  /**
   * Revoked keys are deleted: the next request with one is UNAUTHENTICATED. Nothing happens when the
   * account has no such key. Needs a recent step-up: a thief must not remove the owner's keys and be
   * the only one left.
   */
  async revoke(auth: Authenticated, id: string, meta: RequestMeta): Promise<void> {
    await this.stepUp.requireStepUp(auth, SensitiveAction.REVOKE_API_KEY);
    const sendNotice = await this.transaction(async (manager) => {
      const notice = await this.notices.wayInChanged(manager, auth.account.id, "API_KEY_REVOKED");
      const accountId = auth.account.id;
      const result = await namingRows(manager, [{ id, accountId }], () => manager.delete(ApiKeyEntity, { id, accountId }));
      if (!result.affected) return null;
      await this.audit.record(manager, auth.account.id, AuditEventType.API_KEY_REVOKED, meta, { apiKeyId: id });
      return notice;
    });
    sendNotice?.();
  }

  /** One indexed lookup (key hash, joined with the account); expired, revoked and cooling keys authenticate nobody. */
  async authenticate(token: string): Promise<Authenticated | null> {
    if (!token.startsWith(`${API_KEY_PREFIX}_`)) return null;
    const now = this.clock.now();
    const keyHash = sha256Hex(token);
    const found = await this.byKeyHash.find(keyHash);
    if (!found || (found.main.expiresAt && found.main.expiresAt <= now) || !isUsable(found.main, now)) return null;
    const { main: key, joined: account } = found;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      key.lastUsedAt = now;
      // Listeners off, as for a session touch: the cached copy is patched instead of dropped.
      await this.transaction((manager) =>
        manager.createQueryBuilder().update(ApiKeyEntity).set({ lastUsedAt: now }).where({ id: key.id }).callListeners(false).execute(),
      );
      this.byKeyHash.patchMain(keyHash, { lastUsedAt: now });
    }
    return { account, session: null, apiKey: key };
  }
}

export function scopesOf(key: ApiKeyEntity): ApiKeyScope[] {
  return key.scopes.split(" ").filter((scope): scope is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(scope));
}
