import { type DataSource, In } from "typeorm";
import type { Clock } from "../../core/clock";
import { addSeconds } from "../../core/clock";
import type { TransactionRunner } from "../../db/transactions";
import { IdentityEntity, SessionEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import { requireSession, type Authenticated, type RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import type { SecondFactorVerifier } from "../totp/second-factor-verifier";
import { VerificationMethod } from "../two-step/two-step.types";

/** The second factors an account has now, in the order a client should offer them. */
export async function availableMethods(dataSource: DataSource, factors: SecondFactorVerifier, accountId: string): Promise<VerificationMethod[]> {
  const [contacts, totp, recoveryCodes] = await Promise.all([
    dataSource.getRepository(IdentityEntity).findBy({ accountId, kind: In(["EMAIL", "PHONE"]) }),
    factors.activeCredential(accountId),
    factors.recoveryCodesRemaining(accountId),
  ]);
  return [
    ...(contacts.some((c) => c.kind === "EMAIL") ? [VerificationMethod.EMAIL] : []),
    ...(contacts.some((c) => c.kind === "PHONE") ? [VerificationMethod.SMS] : []),
    ...(totp ? [VerificationMethod.TOTP] : []),
    ...(recoveryCodes > 0 ? [VerificationMethod.RECOVERY_CODE] : []),
  ];
}

/**
 * Step-up: a session proves a second factor (email or SMS code, authenticator code, recovery code)
 * and may then make sensitive changes for a few minutes. Accounts with nothing to prove with are not
 * asked; API keys can never step up.
 */
export class StepUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly factors: SecondFactorVerifier,
    private readonly ttlSeconds: number,
  ) {}

  /** STEP_UP_REQUIRED unless this session stepped up recently or the account has no second factor. */
  async assertRecent(auth: Authenticated): Promise<void> {
    const session = requireSession(auth);
    if (this.isRecent(session)) return;
    const methods = await availableMethods(this.dataSource, this.factors, auth.account.id);
    if (methods.length > 0) throw new AppError("STEP_UP_REQUIRED");
  }

  isRecent(session: SessionEntity): boolean {
    return session.stepUpAt !== null && addSeconds(session.stepUpAt, this.ttlSeconds) > this.clock.now();
  }

  /** Sends a code (EMAIL, SMS) or opens a challenge for a code the person holds (TOTP, RECOVERY_CODE). */
  async request(auth: Authenticated, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const session = requireSession(auth);
    const accountId = auth.account.id;
    const methods = await availableMethods(this.dataSource, this.factors, accountId);
    if (!methods.includes(method)) throw AppError.badInput("method", `${method} is not set up on this account`);
    const base = { purpose: "STEP_UP" as const, accountId, sessionId: session.id };
    if (method === VerificationMethod.TOTP || method === VerificationMethod.RECOVERY_CODE) {
      return this.challenges.expect({ ...base, channel: method });
    }
    const kind = method === VerificationMethod.EMAIL ? "EMAIL" : "PHONE";
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneByOrFail({ accountId, kind });
    return this.challenges.issue({ ...base, channel: method, target: identity.subject }, meta);
  }

  async complete(auth: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<void> {
    const session = requireSession(auth);
    const challenge = await this.challenges.check(challengeId, code, { purpose: "STEP_UP", accountId: auth.account.id, sessionId: session.id }, meta);
    await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const result = await manager.update(SessionEntity, { id: session.id }, { stepUpAt: this.clock.now() });
      assertThat(result.affected, "UNAUTHENTICATED");
      await this.audit.record(manager, auth.account.id, AuditEventType.STEP_UP_COMPLETED, meta, { channel: challenge.channel });
    });
  }
}
