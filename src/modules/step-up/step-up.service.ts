import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { addSeconds } from "../../core/clock";
import { createJoinedLookup, type JoinedLookup } from "../../db/joined-lookup";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, SessionEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import { requireSession, type Authenticated, type RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import { usableSecondFactors } from "../two-step/second-factors";
import { VerificationMethod } from "../two-step/two-step.types";

/** What an account can step up with: its usable second factors, or else its password. */
export function stepUpMethods(secondFactors: VerificationMethod[], account: Pick<AccountEntity, "passwordHash">): VerificationMethod[] {
  return secondFactors.length === 0 && account.passwordHash !== null ? [VerificationMethod.PASSWORD] : secondFactors;
}

/** What a change guarded by requireStepUp may do with what it adds. */
export interface StepUpProof {
  /** The session and its account as the database has them now, for the caller's own rules. */
  readonly session: SessionEntity;
  readonly account: AccountEntity;
  /**
   * The usableFrom of a factor this change adds: null when the session proved a factor the account
   * had, the end of the cool-down when the account had nothing to prove with.
   */
  readonly newFactorUsableFrom: Date | null;
}

export interface StepUpPolicy {
  /** changePassword: the old password it checks is the proof on an account whose only proof is its password. */
  readonly passwordReentered?: boolean;
  /** Acting on someone else's account (support): only a real recent step-up will do. */
  readonly strict?: boolean;
}

/**
 * Step-up: a session proves a second factor (email or SMS code, authenticator code, recovery code),
 * or its password when the account has no usable second factor, and may then change the ways into
 * the account for a few minutes. API keys can never step up.
 */
export class StepUpService {
  /** A session with its account in one statement, never from the authentication cache. */
  private readonly sessionById: JoinedLookup<SessionEntity, AccountEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly settings: { readonly ttlSeconds: number; readonly newFactorCooldownSeconds: number },
  ) {
    this.sessionById = createJoinedLookup(dataSource, {
      main: SessionEntity,
      joined: AccountEntity,
      joinColumn: "account_id",
      whereColumn: "id",
    });
  }

  /**
   * The one guard of every change that adds or removes a way in: STEP_UP_REQUIRED unless this session
   * stepped up recently. An account with nothing to step up with (no password, no usable second
   * factor) may go ahead, but what it adds cools (see factors/usable). Judged on the session and
   * account as the database has them, not as the authentication cache may (a session signed out in
   * another process is UNAUTHENTICATED here, a password changed there is the one checked).
   */
  async requireStepUp(auth: Authenticated, policy: StepUpPolicy = {}): Promise<StepUpProof> {
    const found = await this.sessionById(requireSession(auth).id);
    if (!found || found.joined.id !== auth.account.id || found.main.expiresAt <= this.clock.now()) throw new AppError("UNAUTHENTICATED");
    const { main: session, joined: account } = found;
    if (this.isRecent(session)) return { session, account, newFactorUsableFrom: null };
    if (policy.strict) throw new AppError("STEP_UP_REQUIRED");
    const methods = await this.methods(account);
    if (methods.length === 0)
      return { session, account, newFactorUsableFrom: addSeconds(this.clock.now(), this.settings.newFactorCooldownSeconds) };
    if (policy.passwordReentered && methods[0] === VerificationMethod.PASSWORD) return { session, account, newFactorUsableFrom: null };
    throw new AppError("STEP_UP_REQUIRED");
  }

  isRecent(session: SessionEntity): boolean {
    return session.stepUpAt !== null && addSeconds(session.stepUpAt, this.settings.ttlSeconds) > this.clock.now();
  }

  /** What this account can step up with now. */
  async methods(account: Pick<AccountEntity, "id" | "passwordHash">): Promise<VerificationMethod[]> {
    return stepUpMethods(await usableSecondFactors(this.dataSource.manager, account.id, this.clock.now()), account);
  }

  /** Sends a code (EMAIL, SMS) or opens a challenge for a code or password the person knows (TOTP, RECOVERY_CODE, PASSWORD). */
  async request(auth: Authenticated, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const session = requireSession(auth);
    const accountId = auth.account.id;
    if (!(await this.methods(auth.account)).includes(method)) {
      throw AppError.badInput("method", `${method} is not a step-up method of this account now`);
    }
    const base = { purpose: "STEP_UP" as const, accountId, sessionId: session.id };
    if (method !== VerificationMethod.EMAIL && method !== VerificationMethod.SMS) {
      return this.challenges.expect({ ...base, channel: method });
    }
    const kind = method === VerificationMethod.EMAIL ? "EMAIL" : "PHONE";
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneByOrFail({ accountId, kind });
    return this.challenges.issue({ ...base, channel: method, target: identity.subject }, meta);
  }

  /** `proof` is the code, or the password for a PASSWORD challenge. */
  async complete(auth: Authenticated, challengeId: string, proof: string, meta: RequestMeta): Promise<void> {
    const session = requireSession(auth);
    const challenge = await this.challenges.check(
      challengeId,
      proof,
      { purpose: "STEP_UP", accountId: auth.account.id, sessionId: session.id },
      meta,
    );
    await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const row = { id: session.id, accountId: auth.account.id };
      const result = await namingRows(manager, [row], () => manager.update(SessionEntity, row, { stepUpAt: this.clock.now() }));
      assertThat(result.affected, "UNAUTHENTICATED");
      await this.audit.record(manager, auth.account.id, AuditEventType.STEP_UP_COMPLETED, meta, { channel: challenge.channel });
    });
  }
}
