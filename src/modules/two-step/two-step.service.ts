import type { DataSource } from "typeorm";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { SignedIn } from "../auth/auth.service";
import type { ChallengeService } from "../challenge/challenge.service";
import type { SessionService } from "../session/session.service";
import { availableMethods, type StepUpService } from "../step-up/step-up.service";
import type { SecondFactorVerifier } from "../totp/second-factor-verifier";
import { hasSecondFactor } from "./second-factors";
import { VerificationMethod, type TwoStepChallenge } from "./two-step.types";

const CHANNEL_OF_METHOD = {
  [VerificationMethod.EMAIL]: "EMAIL",
  [VerificationMethod.SMS]: "SMS",
  [VerificationMethod.TOTP]: "TOTP",
  [VerificationMethod.RECOVERY_CODE]: "RECOVERY_CODE",
} as const;

/**
 * Two-step verification: with it on, a right password opens a TWO_STEP challenge instead of a session;
 * the person proves one second factor of their choice on it, within its expiry and try limit.
 */
export class TwoStepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly sessions: SessionService,
    private readonly stepUp: StepUpService,
    private readonly factors: SecondFactorVerifier,
  ) {}

  /** Turning it on needs a second factor to sign in with; turning it off needs a step-up. */
  async set(auth: Authenticated, enabled: boolean, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    if (enabled) {
      if (!(await hasSecondFactor(this.dataSource.manager, accountId))) {
        throw AppError.badInput("enabled", "bind an email, a phone or an authenticator app first");
      }
    } else {
      await this.stepUp.assertRecent(auth);
    }
    if (auth.account.twoStepEnabled !== enabled) {
      await this.transaction(async (manager) => {
        await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: enabled });
        await this.audit.record(manager, accountId, enabled ? AuditEventType.TWO_STEP_ENABLED : AuditEventType.TWO_STEP_DISABLED, meta);
      });
    }
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  /** After a right password: the challenge to finish signing in on, with the methods this account has. */
  async begin(account: AccountEntity, meta: RequestMeta, method = "PASSWORD"): Promise<TwoStepChallenge> {
    const methods = await availableMethods(this.dataSource, this.factors, account.id);
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
    if (!identity) throw AppError.badInput("method", `${method} is not set up on this account`);
    return this.challenges.sendCodeFor(challenge, CHANNEL_OF_METHOD[method], identity.subject, meta);
  }

  /** Checks the second factor and signs in. Wrong codes of any method count against the same tries. */
  async complete(challengeId: string, method: VerificationMethod, code: string, meta: RequestMeta): Promise<SignedIn> {
    const challenge = await this.challenges.check(challengeId, code, { purpose: "TWO_STEP", accountId: undefined, method: CHANNEL_OF_METHOD[method] }, meta);
    const accountId = challenge.accountId!;
    const { method: firstFactor } = this.challenges.payloadOf<{ method: string }>(challenge);
    return this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      assertThat(account, "CODE_INVALID");
      const { token, session } = await this.sessions.issue(manager, accountId, meta);
      await this.audit.record(manager, accountId, AuditEventType.SIGN_IN, meta, { sessionId: session.id, method: firstFactor, secondFactor: method });
      return { token, expiresAt: session.expiresAt, account };
    });
  }

  private async openChallenge(challengeId: string): Promise<ChallengeEntity> {
    const challenge = await this.challenges.get(challengeId);
    if (!challenge || challenge.purpose !== "TWO_STEP" || !challenge.accountId) throw new AppError("CODE_INVALID");
    return challenge;
  }
}
