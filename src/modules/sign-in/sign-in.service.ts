import type { EntityManager } from "typeorm";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { readChallengeData } from "../challenge/challenge-data";
import type { ChallengeService } from "../challenge/challenge.service";
import type { FactorsService } from "../factors/factors.service";
import { isSentMethod, VerificationMethod, type FirstFactor } from "../factors/vocabulary";
import type { SessionService } from "../session/session.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";

export interface SignedIn {
  readonly token: string;
  readonly expiresAt: Date;
  readonly account: AccountEntity;
}

/**
 * The one sign-in flow, whatever the first factor (password, provider): `completeSignIn` turns a
 * proven first factor into a session, or, with two-step verification on, into a TWO_STEP challenge
 * that a second factor of the person's choice finishes (FactorsService checks it). Every sign-in
 * issues its session and records it in one place, `startSession`.
 */
export class SignInService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly challenges: ChallengeService,
    private readonly factors: FactorsService,
  ) {}

  /** The first factor is proven: a session, or the two-step challenge when the account has two-step on. */
  async completeSignIn(account: AccountEntity, firstFactor: FirstFactor, meta: RequestMeta): Promise<SignedIn | TwoStepChallenge> {
    if (account.twoStepEnabled) return this.beginTwoStep(account, firstFactor, meta);
    return this.transaction((manager) => this.startSession(manager, account, meta, firstFactor));
  }

  /** Issues a session and records the sign-in, in the caller's transaction (registration's, which creates the account). */
  async startSession(
    manager: EntityManager,
    account: AccountEntity,
    meta: RequestMeta,
    method: FirstFactor,
    secondFactor?: VerificationMethod,
  ): Promise<SignedIn> {
    const { token, session } = await this.sessions.issue(manager, account.id, meta);
    await this.audit.record(manager, account.id, AuditEventType.SIGN_IN, meta, { sessionId: session.id, method, secondFactor });
    return { token, expiresAt: session.expiresAt, account };
  }

  /** Sends a code for the two-step challenge to the bound email or phone. */
  async sendTwoStepCode(challengeId: string, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const challenge = await this.challenges.get(challengeId);
    if (!challenge || challenge.purpose !== "TWO_STEP" || !challenge.accountId) throw new AppError("CODE_INVALID");
    if (!isSentMethod(method)) {
      throw AppError.badInput(
        "method",
        "METHOD_NOT_AVAILABLE",
        "only EMAIL and SMS codes are sent; use the code from your app or a recovery code",
      );
    }
    const address = await this.factors.addressFor(challenge.accountId, method);
    if (!address) throw AppError.badInput("method", "METHOD_NOT_AVAILABLE", `${method} is not set up on this account`);
    return this.challenges.sendCodeFor(challenge, method, address, meta);
  }

  /** Checks the second factor and signs in. Wrong codes of any method count against the same tries. */
  async completeTwoStep(challengeId: string, method: VerificationMethod, code: string, meta: RequestMeta): Promise<SignedIn> {
    // The password is the first factor, never a second one.
    if (method === VerificationMethod.PASSWORD)
      throw AppError.badInput("method", "METHOD_NOT_AVAILABLE", "the password is not a second factor");
    const challenge = await this.factors.prove(challengeId, code, { purpose: "TWO_STEP", accountId: undefined, method }, meta);
    const accountId = challenge.accountId!;
    const { firstFactor } = readChallengeData(challenge, "TWO_STEP");
    return this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      assertThat(account, "CODE_INVALID");
      return this.startSession(manager, account, meta, firstFactor, method);
    });
  }

  /** The challenge to finish signing in on, with the methods this account has. */
  private async beginTwoStep(account: AccountEntity, method: FirstFactor, meta: RequestMeta): Promise<TwoStepChallenge> {
    const methods = await this.factors.available("TWO_STEP", account);
    const challenge = await this.challenges.expect({
      data: { purpose: "TWO_STEP", firstFactor: method },
      accountId: account.id,
      channel: null,
    });
    await this.transaction((manager) => this.audit.record(manager, account.id, AuditEventType.SIGN_IN_TWO_STEP_STARTED, meta, { method }));
    return { id: challenge.id, challengeId: challenge.id, methods, expiresAt: challenge.expiresAt };
  }
}
