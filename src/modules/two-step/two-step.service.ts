import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { SignedIn } from "../auth/auth.service";
import type { ChallengeService } from "../challenge/challenge.service";
import type { SessionService } from "../session/session.service";
import { isUsable } from "../factors/usable";
import type { NoticeService } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import { hasSecondFactor, usableSecondFactors } from "./second-factors";
import { VerificationMethod, type TwoStepChallenge } from "./two-step.types";

const CHANNEL_OF_METHOD = {
  [VerificationMethod.EMAIL]: "EMAIL",
  [VerificationMethod.SMS]: "SMS",
  [VerificationMethod.TOTP]: "TOTP",
  [VerificationMethod.RECOVERY_CODE]: "RECOVERY_CODE",
} as const;

/** The channel a second step is checked with; the password is the first factor, never a second one. */
function secondFactorChannel(method: VerificationMethod) {
  if (method === VerificationMethod.PASSWORD) throw AppError.badInput("method", "the password is not a second factor");
  return CHANNEL_OF_METHOD[method];
}

/**
 * Two-step verification: with it on, a right password opens a TWO_STEP challenge instead of a session;
 * the person proves one second factor of their choice on it, within its expiry and try limit.
 */
export class TwoStepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly sessions: SessionService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
  ) {}

  /** Either way needs a recent step-up; turning it on also needs a usable second factor to sign in with. */
  async set(auth: Authenticated, enabled: boolean, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    // The account as the database has it: another process's change may not have reached the cache.
    const { account } = await this.stepUp.requireStepUp(auth, SensitiveAction.SET_TWO_STEP);
    if (enabled && !(await hasSecondFactor(this.dataSource.manager, accountId, this.clock.now()))) {
      throw AppError.badInput("enabled", "bind an email, a phone or an authenticator app first");
    }
    if (account.twoStepEnabled !== enabled) {
      const sendNotice = await this.transaction(async (manager) => {
        const notice = await this.notices.wayInChanged(manager, accountId, enabled ? "TWO_STEP_ENABLED" : "TWO_STEP_DISABLED");
        await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: enabled });
        await this.audit.record(manager, accountId, enabled ? AuditEventType.TWO_STEP_ENABLED : AuditEventType.TWO_STEP_DISABLED, meta);
        return notice;
      });
      sendNotice();
    }
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  /** After a right password: the challenge to finish signing in on, with the methods this account has. */
  async begin(account: AccountEntity, meta: RequestMeta, method = "PASSWORD"): Promise<TwoStepChallenge> {
    const methods = await usableSecondFactors(this.dataSource.manager, account.id, this.clock.now());
    const challenge = await this.challenges.expect({ purpose: "TWO_STEP", accountId: account.id, channel: "NONE", payload: { method } });
    await this.transaction((manager) => this.audit.record(manager, account.id, AuditEventType.SIGN_IN_TWO_STEP_STARTED, meta, { method }));
    return { challengeId: challenge.id, methods, expiresAt: challenge.expiresAt };
  }

  /** Sends a code for the challenge to the bound email or phone. */
  async sendCode(challengeId: string, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const challenge = await this.openChallenge(challengeId);
    if (method !== VerificationMethod.EMAIL && method !== VerificationMethod.SMS) {
      throw AppError.badInput("method", "only EMAIL and SMS codes are sent; use the code from your app or a recovery code");
    }
    const kind = method === VerificationMethod.EMAIL ? "EMAIL" : "PHONE";
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ accountId: challenge.accountId!, kind });
    if (!identity || !isUsable(identity, this.clock.now())) throw AppError.badInput("method", `${method} is not set up on this account`);
    return this.challenges.sendCodeFor(challenge, CHANNEL_OF_METHOD[method], identity.subject, meta);
  }

  /** Checks the second factor and signs in. Wrong codes of any method count against the same tries. */
  async complete(challengeId: string, method: VerificationMethod, code: string, meta: RequestMeta): Promise<SignedIn> {
    const challenge = await this.challenges.check(
      challengeId,
      code,
      { purpose: "TWO_STEP", accountId: undefined, method: secondFactorChannel(method) },
      meta,
    );
    const accountId = challenge.accountId!;
    const { method: firstFactor } = this.challenges.payloadOf<{ method: string }>(challenge);
    return this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      assertThat(account, "CODE_INVALID");
      const { token, session } = await this.sessions.issue(manager, accountId, meta);
      await this.audit.record(manager, accountId, AuditEventType.SIGN_IN, meta, {
        sessionId: session.id,
        method: firstFactor,
        secondFactor: method,
      });
      return { token, expiresAt: session.expiresAt, account };
    });
  }

  private async openChallenge(challengeId: string): Promise<ChallengeEntity> {
    const challenge = await this.challenges.get(challengeId);
    if (!challenge || challenge.purpose !== "TWO_STEP" || !challenge.accountId) throw new AppError("CODE_INVALID");
    return challenge;
  }
}
