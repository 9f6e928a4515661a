import { type DataSource, In } from "typeorm";
import type { Clock } from "../../core/clock";
import { addSeconds } from "../../core/clock";
import type { TransactionRunner } from "../../db/transactions";
import { IdentityEntity, SessionEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import type { ChallengeEntity } from "../../entities";
import { VerificationMethod } from "../two-step/two-step.types";

/** The second factors a step-up can use now, by the contact each needs. */
const CONTACT_FOR_METHOD: Partial<Record<VerificationMethod, { kind: "EMAIL" | "PHONE"; channel: "EMAIL" | "SMS" }>> = {
  [VerificationMethod.EMAIL]: { kind: "EMAIL", channel: "EMAIL" },
  [VerificationMethod.SMS]: { kind: "PHONE", channel: "SMS" },
};

/**
 * Step-up: a session proves a second factor and may then make sensitive changes for a few minutes.
 * Accounts with nothing to prove with (no contact bound yet) are not asked.
 */
export class StepUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly ttlSeconds: number,
  ) {}

  /** STEP_UP_REQUIRED unless this session stepped up recently or the account has no second factor. */
  async assertRecent({ account, session }: Authenticated): Promise<void> {
    if (this.isRecent(session)) return;
    const hasSecondFactor = await this.dataSource
      .getRepository(IdentityEntity)
      .existsBy({ accountId: account.id, kind: In(["EMAIL", "PHONE"]) });
    if (hasSecondFactor) throw new AppError("STEP_UP_REQUIRED");
  }

  isRecent(session: SessionEntity): boolean {
    return session.stepUpAt !== null && addSeconds(session.stepUpAt, this.ttlSeconds) > this.clock.now();
  }

  async request({ account, session }: Authenticated, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const contact = CONTACT_FOR_METHOD[method];
    const identity = contact
      ? await this.dataSource.getRepository(IdentityEntity).findOneBy({ accountId: account.id, kind: contact.kind })
      : null;
    if (!contact || !identity) throw AppError.badInput("method", `${method} is not set up on this account`);
    return this.challenges.issue(
      { purpose: "STEP_UP", accountId: account.id, sessionId: session.id, channel: contact.channel, target: identity.subject },
      meta,
    );
  }

  async complete({ account, session }: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<void> {
    const challenge = await this.challenges.check(challengeId, code, { purpose: "STEP_UP", accountId: account.id, sessionId: session.id }, meta);
    await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const result = await manager.update(SessionEntity, { id: session.id }, { stepUpAt: this.clock.now() });
      assertThat(result.affected, "UNAUTHENTICATED");
      await this.audit.record(manager, account.id, AuditEventType.STEP_UP_COMPLETED, meta, { channel: challenge.channel });
    });
  }
}
