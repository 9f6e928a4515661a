import { createHmac, randomBytes, randomInt, randomUUID } from "node:crypto";
import {
  Equal,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  type DataSource,
  type EntityManager,
  type FindOptionsWhere,
} from "typeorm";
import type { Config } from "../../config";
import { addSeconds, type Clock } from "../../core/clock";
import { constantTimeEqual } from "../../core/crypto";
import type { Logger } from "../../core/logger";
import { ipBudgetKey } from "../../core/ip-key";
import { consumeAll, type RateLimiter, type RateLimiterFactory, type Spend } from "../../core/rate-limiter";
import { lockUntilCommit } from "../../db/locks";
import type { TransactionRunner } from "../../db/transactions";
import { ChallengeEntity, type ChallengePurpose } from "../../entities";
import { AppError } from "../../errors";
import type { RequestMeta } from "../../graphql/context";
import { failureLogLevel, ProviderError, providerErrorToAppError } from "../../providers/provider-error";
import type { Providers } from "../../providers/registry";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { isSentMethod, VerificationMethod, type SentMethod } from "../factors/vocabulary";
import { encodeChallengeData, type ChallengeData } from "./challenge-data";
import { codeEmail } from "./code-messages";

/** A code to send: for what, on which account, by which method, to which address. */
interface Sending {
  readonly purpose: ChallengePurpose;
  readonly accountId: string | null;
  readonly channel: SentMethod;
  /** Normalised email or E.164 phone. */
  readonly target: string;
}

export interface ChallengeRequest extends Omit<Sending, "purpose"> {
  /** The purpose, and what its confirmation will act on. */
  readonly data: ChallengeData;
  readonly sessionId?: string | null;
}

export interface ChallengeExpectation {
  readonly purpose: ChallengePurpose;
  /** The account the challenge must belong to; undefined where the caller is not signed in (two-step). */
  readonly accountId: string | undefined;
  /** For step-up: the session that asked. */
  readonly sessionId?: string;
}

/** A challenge whose code is not sent by us: TOTP, recovery code, or (two-step) chosen later. */
export interface UnsentChallengeRequest {
  readonly data: ChallengeData;
  readonly accountId: string;
  readonly sessionId?: string | null;
  /** Null until the person picks a method (two-step). */
  readonly channel: Exclude<VerificationMethod, SentMethod> | null;
}

/**
 * Purposes anyone may ask for, unauthenticated (password reset). Their codes count against
 * per-address budgets of their own, so asking for them can never use up the codes that sign-in and
 * step-up depend on; the caller's IP pays when asking (spendCallerBudget), whether or not the
 * address is anyone's.
 */
const UNAUTHENTICATED_PURPOSES: ReadonlySet<ChallengePurpose> = new Set(["PASSWORD_RESET"]);

/** Where a code ranks below `challenge` in findLatest's order (newest first, then the lower id). */
function olderThan(challenge: ChallengeEntity): FindOptionsWhere<ChallengeEntity>[] {
  return [{ createdAt: LessThan(challenge.createdAt) }, { createdAt: Equal(challenge.createdAt), id: MoreThan(challenge.id) }];
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Every "send a code, then confirm it" step. Codes are 6 CSPRNG digits, stored as an HMAC keyed
 * per deployment and bound to the challenge id, compared in constant time. A try is counted by a
 * conditional update before the comparison, and a use by another one, so parallel requests can
 * neither share tries nor use one code twice.
 */
export class ChallengeService {
  private readonly limits: {
    perTargetHour: RateLimiter;
    perTargetDay: RateLimiter;
    perAccount: RateLimiter;
    perIp: RateLimiter;
    unauthenticatedPerTargetHour: RateLimiter;
    unauthenticatedPerTargetDay: RateLimiter;
    smsBudget: RateLimiter;
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly providers: Providers,
    private readonly codeKey: Buffer,
    private readonly config: Pick<Config, "codes" | "smsDailyBudget" | "rateLimits">,
    rateLimiter: RateLimiterFactory,
  ) {
    const limits = config.rateLimits;
    this.limits = {
      perTargetHour: rateLimiter("code-target-hour", limits.codeSendsPerTargetHour),
      perTargetDay: rateLimiter("code-target-day", limits.codeSendsPerTargetDay),
      perAccount: rateLimiter("code-account", limits.codeSendsPerAccount),
      perIp: rateLimiter("code-ip", limits.codeSendsPerIp),
      unauthenticatedPerTargetHour: rateLimiter("reset-code-target-hour", limits.resetCodeSendsPerTargetHour),
      unauthenticatedPerTargetDay: rateLimiter("reset-code-target-day", limits.resetCodeSendsPerTargetDay),
      // Keyed by UTC day, so the budget starts afresh at midnight; kept two days so a key never lapses early.
      smsBudget: rateLimiter("sms-budget", { points: Math.max(config.smsDailyBudget, 1), durationSeconds: 2 * 86400 }),
    };
  }

  /**
   * Records the challenge, sends the code, then retires any older code of the same purpose, target,
   * account and session. The row exists before the code leaves, so a fast typist never beats it; when sending
   * fails the row is removed again and the older code stays valid. The cooldown check, the budgets
   * and the row are one step under a lock on the address, so parallel requests send one code.
   */
  async issue(request: ChallengeRequest, meta: RequestMeta): Promise<ChallengeEntity> {
    const sending: Sending = {
      purpose: request.data.purpose,
      accountId: request.accountId,
      channel: request.channel,
      target: request.target,
    };
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const challenge = await this.transaction(async (manager) => {
      await lockUntilCommit(manager, `challenge:${sending.purpose}:${sending.channel}:${sending.target}:${sending.accountId ?? ""}`);
      // Read under the lock: a time read before it could be older than the row a request that overtook
      // this one just wrote, and would see that row's cooldown still running.
      const now = this.clock.now();
      await this.assertCooldownOver(manager, sending, now);
      await this.spendSendBudgets(sending, meta, now);
      const row = this.newRow(now, {
        id,
        purpose: sending.purpose,
        accountId: sending.accountId,
        sessionId: request.sessionId ?? null,
        channel: sending.channel,
        target: sending.target,
        codeHash: this.hash(id, code),
        payload: encodeChallengeData(request.data),
        resendAvailableAt: addSeconds(now, this.config.codes.resendCooldownSeconds),
      });
      await manager.insert(ChallengeEntity, row);
      return row;
    });
    try {
      await this.deliver(sending, code);
    } catch (error) {
      await this.transaction((manager) => manager.delete(ChallengeEntity, { id }));
      throw error;
    }
    await this.transaction(async (manager) => {
      await manager.update(
        ChallengeEntity,
        // Only the codes findLatest ranks below this one: a request that took the lock later holds the
        // newer code, whichever of the two is delivered first. And only this session's: another session
        // (a thief's) asking for a step-up code must not spend the one the owner is typing.
        olderThan(challenge).map((rank) => ({
          purpose: sending.purpose,
          target: sending.target,
          accountId: sending.accountId ?? IsNull(),
          sessionId: challenge.sessionId ?? IsNull(),
          consumedAt: IsNull(),
          ...rank,
        })),
        { consumedAt: this.clock.now() },
      );
      if (sending.accountId) {
        await this.audit.record(manager, sending.accountId, AuditEventType.CODE_SENT, meta, {
          purpose: sending.purpose,
          channel: sending.channel,
        });
      }
    });
    return challenge;
  }

  /** Records a challenge whose code the person already holds (authenticator app, recovery code) or picks later. */
  async expect(request: UnsentChallengeRequest): Promise<ChallengeEntity> {
    const now = this.clock.now();
    const challenge = this.newRow(now, {
      id: randomUUID(),
      purpose: request.data.purpose,
      accountId: request.accountId,
      sessionId: request.sessionId ?? null,
      channel: request.channel,
      target: request.accountId,
      codeHash: null,
      payload: encodeChallengeData(request.data),
      resendAvailableAt: now,
    });
    await this.transaction((manager) => manager.insert(ChallengeEntity, challenge));
    return challenge;
  }

  /**
   * A challenge for an address nobody may recover (unknown, or cooling): nothing is sent and its stored
   * hash is no code's, but answering it takes the same steps as answering a real one, so the time of a
   * wrong answer does not tell a bound address from another.
   */
  async decoy(data: ChallengeData, channel: SentMethod, target: string): Promise<void> {
    const now = this.clock.now();
    const challenge = this.newRow(now, {
      id: randomUUID(),
      purpose: data.purpose,
      accountId: null,
      sessionId: null,
      channel,
      target,
      codeHash: randomBytes(32).toString("hex"),
      payload: encodeChallengeData(data),
      resendAvailableAt: now,
    });
    await this.transaction((manager) => manager.insert(ChallengeEntity, challenge));
  }

  private newRow(
    now: Date,
    fields: Pick<
      ChallengeEntity,
      "id" | "purpose" | "accountId" | "sessionId" | "channel" | "target" | "codeHash" | "payload" | "resendAvailableAt"
    >,
  ): ChallengeEntity {
    return this.dataSource.getRepository(ChallengeEntity).create({
      ...fields,
      attempts: 0,
      maxAttempts: this.config.codes.maxAttempts,
      expiresAt: addSeconds(now, this.config.codes.ttlSeconds),
      consumedAt: null,
      createdAt: now,
    });
  }

  /**
   * Sends a fresh code for an open challenge (two-step: the person picked email or SMS), keeping its
   * id, expiry and tries. The previous code stops working at once; if sending fails, none works
   * until the next send, and no cooldown is set. The cooldown is taken by a conditional update
   * before anything else, so of parallel sends one goes out.
   */
  async sendCodeFor(challenge: ChallengeEntity, channel: SentMethod, target: string, meta: RequestMeta): Promise<ChallengeEntity> {
    const now = this.clock.now();
    if (challenge.consumedAt) throw new AppError("CODE_INVALID");
    if (challenge.expiresAt <= now) throw new AppError("CODE_EXPIRED");
    const resendAvailableAt = addSeconds(now, this.config.codes.resendCooldownSeconds);
    const reserved = await this.transaction((manager) =>
      manager.update(
        ChallengeEntity,
        { id: challenge.id, consumedAt: IsNull(), resendAvailableAt: LessThanOrEqual(now) },
        { resendAvailableAt },
      ),
    );
    if (!reserved.affected) {
      const latest = await this.get(challenge.id);
      if (!latest || latest.consumedAt) throw new AppError("CODE_INVALID");
      throw new AppError("RATE_LIMITED", {
        retryAfterSeconds: Math.max(1, Math.ceil((latest.resendAvailableAt.getTime() - now.getTime()) / 1000)),
      });
    }
    // Nothing went out: the cooldown taken above is given back.
    const giveBack = (change: Partial<ChallengeEntity> = {}) =>
      this.transaction((manager) =>
        manager.update(ChallengeEntity, { id: challenge.id }, { ...change, resendAvailableAt: challenge.resendAvailableAt }),
      );
    const request: Sending = { purpose: challenge.purpose, accountId: challenge.accountId, channel, target };
    try {
      await this.spendSendBudgets(request, meta, now);
    } catch (error) {
      await giveBack();
      throw error;
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const armed = { channel, target, codeHash: this.hash(challenge.id, code) };
    const updated = await this.transaction((manager) => manager.update(ChallengeEntity, { id: challenge.id, consumedAt: IsNull() }, armed));
    if (!updated.affected) throw new AppError("CODE_INVALID");
    try {
      await this.deliver(request, code);
    } catch (error) {
      await giveBack({ codeHash: null });
      throw error;
    }
    await this.transaction(async (manager) => {
      if (challenge.accountId) {
        await this.audit.record(manager, challenge.accountId, AuditEventType.CODE_SENT, meta, { purpose: challenge.purpose, channel });
      }
    });
    return { ...challenge, ...armed, resendAvailableAt };
  }

  async get(challengeId: string): Promise<ChallengeEntity | null> {
    return this.dataSource.getRepository(ChallengeEntity).findOneBy({ id: challengeId });
  }

  /** The newest challenge of a purpose sent to `target` that is not used up, expired or not (check says which). */
  async findLatest(purpose: ChallengePurpose, target: string): Promise<ChallengeEntity | null> {
    return this.dataSource.getRepository(ChallengeEntity).findOne({
      where: { purpose, target, consumedAt: IsNull() },
      order: { createdAt: "DESC", id: "ASC" },
    });
  }

  /**
   * Checks a sent `code` against the challenge and counts the try. Does not use the code up: the
   * caller does that with `consume`, inside the transaction that makes the change the code was for.
   */
  check(challengeId: string, code: string, expected: ChallengeExpectation, meta: RequestMeta): Promise<ChallengeEntity> {
    return this.checkProof(challengeId, expected, meta, (challenge) =>
      Promise.resolve(
        challenge.channel !== null && isSentMethod(challenge.channel) && this.sentCodeMatches(challenge, challenge.channel, code),
      ),
    );
  }

  /** Like check, with the proof judged by `proves` (a factor's check: see factors/second-factors). */
  async checkProof(
    challengeId: string,
    expected: ChallengeExpectation,
    meta: RequestMeta,
    proves: (challenge: ChallengeEntity) => Promise<boolean>,
  ): Promise<ChallengeEntity> {
    const repository = this.dataSource.getRepository(ChallengeEntity);
    const challenge = await repository.findOneBy({ id: challengeId });
    const matches =
      challenge !== null &&
      challenge.purpose === expected.purpose &&
      (expected.accountId === undefined || challenge.accountId === expected.accountId) &&
      (expected.sessionId === undefined || challenge.sessionId === expected.sessionId);
    // A challenge of another purpose, account or session is answered as if it did not exist.
    if (!matches || challenge.consumedAt) throw new AppError("CODE_INVALID");
    if (challenge.expiresAt <= this.clock.now()) throw new AppError("CODE_EXPIRED");

    const counted = await this.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(ChallengeEntity)
        .set({ attempts: () => "attempts + 1" })
        .where("id = :id AND attempts < max_attempts AND consumed_at IS NULL", { id: challenge.id })
        .execute(),
    );
    if (!counted.affected) {
      // Either the tries are spent, or a parallel request used the code meanwhile.
      const latest = await repository.findOneByOrFail({ id: challenge.id });
      throw new AppError(latest.consumedAt ? "CODE_INVALID" : "TOO_MANY_ATTEMPTS");
    }

    if (!(await proves(challenge))) {
      // After the answer, which a challenge of no account (a decoy) must match in time.
      if (challenge.accountId)
        this.audit.recordAfterAnswer(challenge.accountId, AuditEventType.CODE_FAILED, meta, { purpose: challenge.purpose });
      throw new AppError("CODE_INVALID");
    }
    return challenge;
  }

  /** Uses the code up inside the caller's transaction; of two parallel uses only one succeeds. */
  async consume(manager: EntityManager, challenge: ChallengeEntity): Promise<void> {
    const result = await manager.update(ChallengeEntity, { id: challenge.id, consumedAt: IsNull() }, { consumedAt: this.clock.now() });
    if (!result.affected) throw new AppError("CODE_INVALID");
  }

  /**
   * Ends every open code this account was sent to `target`, whatever its purpose, in the transaction
   * that unbinds or replaces that address: a code dies with its address.
   */
  async retireSentTo(manager: EntityManager, accountId: string, target: string): Promise<void> {
    await manager.update(
      ChallengeEntity,
      { accountId, target, channel: In([VerificationMethod.EMAIL, VerificationMethod.SMS]), consumedAt: IsNull() },
      { consumedAt: this.clock.now() },
    );
  }

  /** A code this server sent by `method`: compared, in constant time, with the HMAC stored for this challenge. */
  sentCodeMatches(challenge: ChallengeEntity, method: SentMethod, code: string): boolean {
    return (
      challenge.channel === method && challenge.codeHash !== null && constantTimeEqual(this.hash(challenge.id, code), challenge.codeHash)
    );
  }

  private hash(challengeId: string, code: string): string {
    return createHmac("sha256", this.codeKey).update(`${challengeId}:${code}`).digest("hex");
  }

  private async assertCooldownOver(manager: EntityManager, request: Sending, now: Date): Promise<void> {
    const latest = await manager.findOne(ChallengeEntity, {
      where: { purpose: request.purpose, target: request.target, accountId: request.accountId ?? IsNull(), consumedAt: IsNull() },
      order: { createdAt: "DESC", id: "ASC" },
    });
    if (latest && latest.resendAvailableAt > now) {
      const retryAfterSeconds = Math.ceil((latest.resendAvailableAt.getTime() - now.getTime()) / 1000);
      throw new AppError("RATE_LIMITED", { retryAfterSeconds });
    }
  }

  /**
   * Spends the caller's per-IP code budget for an unauthenticated purpose, up front and whoever the
   * address belongs to: the send itself happens later, and only for a known address.
   */
  async spendCallerBudget(meta: RequestMeta): Promise<void> {
    await this.limits.perIp.consume(ipBudgetKey(meta.ip));
  }

  private async spendSendBudgets(request: Sending, meta: RequestMeta, now: Date): Promise<void> {
    await consumeAll(this.sendBudgets(request, meta));
    if (request.channel === VerificationMethod.SMS) await this.spendSmsBudget(now);
  }

  private sendBudgets(request: Sending, meta: RequestMeta): Spend[] {
    const target = `${request.channel}:${request.target}`;
    if (UNAUTHENTICATED_PURPOSES.has(request.purpose)) {
      return [
        [this.limits.unauthenticatedPerTargetHour, target],
        [this.limits.unauthenticatedPerTargetDay, target],
      ];
    }
    return [
      [this.limits.perIp, ipBudgetKey(meta.ip)],
      ...(request.accountId ? [[this.limits.perAccount, request.accountId] as const] : []),
      [this.limits.perTargetHour, target],
      [this.limits.perTargetDay, target],
    ];
  }

  /** SMS the deployment may still send today (for /metrics). */
  async smsBudgetLeft(): Promise<number> {
    return this.config.smsDailyBudget === 0 ? 0 : this.limits.smsBudget.remaining(`day:${utcDay(this.clock.now())}`);
  }

  /** SMS pumping costs real money: past the deployment's daily budget no SMS leaves, and operators are alerted. */
  private async spendSmsBudget(now: Date): Promise<void> {
    try {
      if (this.config.smsDailyBudget === 0) throw new AppError("RATE_LIMITED");
      await this.limits.smsBudget.consume(`day:${utcDay(now)}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.logger.error(
        { alert: "SMS_DAILY_BUDGET_SPENT", budget: this.config.smsDailyBudget },
        "ALERT: the daily SMS budget is spent; SMS codes are refused until midnight UTC",
      );
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      throw new AppError("RATE_LIMITED", { retryAfterSeconds: Math.ceil((midnight - now.getTime()) / 1000) });
    }
  }

  private async deliver(request: Sending, code: string): Promise<void> {
    try {
      if (request.channel === VerificationMethod.EMAIL) {
        await this.providers.email.send(request.target, codeEmail(request.purpose, code, Math.round(this.config.codes.ttlSeconds / 60)));
      } else {
        await this.providers.sms.send(request.target, { kind: "CODE", code });
      }
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger[failureLogLevel(error)](
        { provider: request.channel, code: error.code, vendorCode: error.vendorCode, reason: error.message },
        "could not send a verification code",
      );
      throw providerErrorToAppError(error);
    }
  }
}
