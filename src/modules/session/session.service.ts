import { randomUUID } from "node:crypto";
import { In, MoreThan, Not, type DataSource, type EntityManager, type SelectQueryBuilder } from "typeorm";
import type { Config } from "../../config";
import { addSeconds, type Clock } from "../../core/clock";
import { randomToken, sha256Hex } from "../../core/crypto";
import { createJoinedLookup } from "../../db/joined-lookup";
import { keysetPage, type KeysetPage } from "../../db/keyset-page";
import { lockUntilCommit } from "../../db/locks";
import { namingRows, type CachedLookup, type LookupCache } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, SessionEntity } from "../../entities";
import { assertThat } from "../../errors";
import type { KeysetPosition, PageWindow } from "../../graphql/connection";
import { requireSession, type Authenticated, type RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { NoticeService } from "../notice/notice.service";

export const SESSION_TOKEN_PREFIX = "ses";

/** A sliding session is touched at most this often, so reads do not turn into a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface IssuedSession {
  /** The bearer token: returned to the client once, stored only as its SHA-256. */
  readonly token: string;
  readonly session: SessionEntity;
}

export class SessionService {
  private readonly byTokenHash: CachedLookup<SessionEntity, AccountEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly settings: Config["session"],
    cache: LookupCache,
    private readonly notices: NoticeService,
  ) {
    this.byTokenHash = cache.wrap(
      createJoinedLookup(dataSource, {
        main: SessionEntity,
        joined: AccountEntity,
        joinColumn: "account_id",
        whereColumn: "token_hash",
      }),
    );
  }

  /** A new session; past SESSIONS_MAX_PER_ACCOUNT the least recently used others are signed out, so the list stays bounded. */
  async issue(manager: EntityManager, accountId: string, meta: RequestMeta): Promise<IssuedSession> {
    // Parallel sign-ins take turns, so each counts the others' sessions.
    await lockUntilCommit(manager, `sessions:${accountId}`);
    const token = randomToken(SESSION_TOKEN_PREFIX);
    const now = this.clock.now();
    const session = manager.create(SessionEntity, {
      id: randomUUID(),
      accountId,
      tokenHash: sha256Hex(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.slidingExpiry(now, now),
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await manager.insert(SessionEntity, session);
    await this.signOutLeastRecentlyUsed(manager, session, meta);
    return { token, session };
  }

  private async signOutLeastRecentlyUsed(manager: EntityManager, kept: SessionEntity, meta: RequestMeta): Promise<void> {
    const { accountId } = kept;
    const surplus = await manager.find(SessionEntity, {
      select: { id: true },
      where: { accountId, id: Not(kept.id), expiresAt: MoreThan(this.clock.now()) },
      order: { lastSeenAt: "DESC", id: "DESC" },
      skip: this.settings.maxPerAccount - 1,
    });
    if (surplus.length === 0) return;
    const ids = surplus.map((each) => each.id);
    await this.end(manager, accountId, ids);
    for (const sessionId of ids)
      await this.audit.record(manager, accountId, AuditEventType.SESSION_REVOKED, meta, { sessionId, reason: "SESSION_LIMIT" });
  }

  /** One indexed lookup (token hash, joined with the account) authenticates a request. */
  async authenticate(token: string): Promise<Authenticated | null> {
    if (!token.startsWith(`${SESSION_TOKEN_PREFIX}_`)) return null;
    const tokenHash = sha256Hex(token);
    const found = await this.byTokenHash.find(tokenHash);
    const now = this.clock.now();
    if (!found || found.main.expiresAt <= now) return null;
    const session = found.main;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.touch(session, now);
      this.byTokenHash.patchMain(tokenHash, { lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt });
    }
    return { account: found.joined, session, apiKey: null };
  }

  /** A page of the sessions signed in now, most recently used first. */
  listActive(accountId: string, window: PageWindow<KeysetPosition>): Promise<KeysetPage<SessionEntity>> {
    return keysetPage(() => this.active(accountId), { at: "session.lastSeenAt", id: "session.id" }, window);
  }

  /** How many sessions are signed in now, for the connection's totalCount. */
  countActive(accountId: string): Promise<number> {
    return this.active(accountId).getCount();
  }

  private active(accountId: string): SelectQueryBuilder<SessionEntity> {
    return this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder("session")
      .where("session.accountId = :accountId", { accountId })
      .andWhere("session.expiresAt > :now", { now: this.clock.now() });
  }

  /** Signs out one session of this account (the current one included), logged when there was one. */
  async revoke(accountId: string, sessionId: string, meta: RequestMeta, type: AuditEventType): Promise<void> {
    await this.transaction(async (manager) => {
      const row = { id: sessionId, accountId };
      const result = await namingRows(manager, [row], () => manager.delete(SessionEntity, row));
      if (result.affected) await this.audit.record(manager, accountId, type, meta, { sessionId });
    });
  }

  /**
   * signOutOtherSessions: ends every session of the account but the caller's, and tells the bound
   * addresses, so an owner signed out by a thief holding a stolen session learns of it. The ids of
   * the sessions it ended; none ended, nothing is recorded.
   */
  async signOutOthers(auth: Authenticated, meta: RequestMeta): Promise<IssuedSession & { ids: string[] }> {
    const current = requireSession(auth);
    const accountId = auth.account.id;
    const { signedOut, sendNotice } = await this.transaction(async (manager) => {
      // Anyone else holding a copy of this session's own token is signed out too.
      const renewed = await this.renewToken(manager, current, {});
      const others = await manager.find(SessionEntity, {
        select: { id: true },
        where: { accountId, id: Not(current.id), expiresAt: MoreThan(this.clock.now()) },
      });
      const ids = others.map((session) => session.id);
      // Recorded and told even with no other session: the renewal alone signs out whoever else holds this
      // token, and a thief with a copy of the owner's only token would otherwise take it over silently.
      if (ids.length > 0) await this.end(manager, accountId, ids);
      await this.audit.record(manager, accountId, AuditEventType.OTHER_SESSIONS_SIGNED_OUT, meta, { revokedSessions: ids.length });
      return {
        signedOut: { ...renewed, ids },
        sendNotice: await this.notices.wayInChanged(manager, accountId, "OTHER_SESSIONS_SIGNED_OUT"),
      };
    });
    sendNotice();
    return signedOut;
  }

  /** Ends these sessions of the account, naming them, so caches drop only their entries. */
  private async end(manager: EntityManager, accountId: string, ids: readonly string[]): Promise<void> {
    await namingRows(
      manager,
      ids.map((id) => ({ id, accountId })),
      () => manager.delete(SessionEntity, { id: In([...ids]), accountId }),
    );
  }

  /**
   * Gives the session a new token and makes these changes with it, so a copy of the token it had (taken
   * before a step-up, say) does not gain what the change grants. Only while the session still has the
   * token it was authenticated with: of two parallel renewals one wins, the other is UNAUTHENTICATED.
   * Naming the row drops the old token's cache entry in every process.
   */
  async renewToken(
    manager: EntityManager,
    session: SessionEntity,
    changes: Partial<Pick<SessionEntity, "stepUpAt">>,
  ): Promise<IssuedSession> {
    const token = randomToken(SESSION_TOKEN_PREFIX);
    const row = { id: session.id, accountId: session.accountId };
    const renewed = { ...changes, tokenHash: sha256Hex(token) };
    const result = await namingRows(manager, [row], () => manager.update(SessionEntity, { ...row, tokenHash: session.tokenHash }, renewed));
    assertThat(result.affected, "UNAUTHENTICATED");
    return { token, session: manager.create(SessionEntity, { ...session, ...renewed }) };
  }

  /** Used when a password changes: every other device must sign in again. */
  async revokeAllExcept(manager: EntityManager, accountId: string, keepSessionId: string): Promise<number> {
    const result = await namingRows(manager, [{ accountId }], () => manager.delete(SessionEntity, { accountId, id: Not(keepSessionId) }));
    return result.affected ?? 0;
  }

  /** Slides the expiry. Listeners off: it changes nothing a cached copy needs besides what the caller patches. */
  private async touch(session: SessionEntity, now: Date): Promise<void> {
    session.lastSeenAt = now;
    session.expiresAt = this.slidingExpiry(session.createdAt, now);
    await this.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(SessionEntity)
        .set({ lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt })
        .where({ id: session.id })
        .callListeners(false)
        .execute(),
    );
  }

  private slidingExpiry(createdAt: Date, now: Date): Date {
    const idle = addSeconds(now, this.settings.idleTimeoutSeconds);
    const absolute = addSeconds(createdAt, this.settings.absoluteTimeoutSeconds);
    return idle < absolute ? idle : absolute;
  }
}
