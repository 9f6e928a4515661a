import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { addSeconds } from "../../core/clock";
import type { MaybePromise } from "../../core/maybe-promise";
import { createJoinedLookup, type JoinedLookup } from "../../db/joined-lookup";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, SessionEntity, type ChallengeEntity } from "../../entities";
import { AppError } from "../../errors";
import { requireSession, type Authenticated, type RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import type { FactorsService } from "../factors/factors.service";
import type { IssuedSession, SessionService } from "../session/session.service";
import { isSentMethod, VerificationMethod } from "../factors/vocabulary";
import { SensitiveAction } from "./sensitive-action";

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

interface StepUpPolicy {
  /** changePassword: the old password it checks is the proof on an account whose only proof is its password. */
  readonly passwordReentered?: boolean;
  /** Acting on someone else's account (support): only a real recent step-up will do. */
  readonly strict?: boolean;
}

const POLICIES: Partial<Record<SensitiveAction, StepUpPolicy>> = {
  [SensitiveAction.CHANGE_PASSWORD]: { passwordReentered: true },
  // A first password made with nothing proved would be a lasting way in that tells nobody; unlike the
  // factors added that way, the owner could neither see nor remove it while it cooled.
  [SensitiveAction.SET_PASSWORD]: { strict: true },
  [SensitiveAction.REPLACE_CONTACT_AS_SUPPORT]: { strict: true },
};

/** How a session may go ahead with an action, or that it must step up first. */
type Verdict = "STEPPED_UP" | "PASSWORD_REENTERED" | "NOTHING_TO_PROVE" | "REQUIRED";

/**
 * The one rule of requireStepUp and of the hints the account center shows before a click, in two
 * parts: the verdict when the account's step-up methods do not matter (null when they do), and the
 * verdict given them. Split so that requireStepUp reads the methods only when they matter.
 */
function verdictWithoutMethods(recent: boolean, action: SensitiveAction): Verdict | null {
  if (recent) return "STEPPED_UP";
  return POLICIES[action]?.strict ? "REQUIRED" : null;
}

function verdictByMethods(action: SensitiveAction, available: readonly VerificationMethod[]): Verdict {
  if (available.length === 0) return "NOTHING_TO_PROVE";
  return POLICIES[action]?.passwordReentered && available[0] === VerificationMethod.PASSWORD ? "PASSWORD_REENTERED" : "REQUIRED";
}

/** What security.stepUpValidUntil and stepUpRequiredFor say to the session asking. */
export interface StepUpHints {
  readonly validUntil: Date | null;
  readonly requiredFor: SensitiveAction[];
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
    dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly factors: FactorsService,
    private readonly sessions: SessionService,
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
   * another process is UNAUTHENTICATED here, a password changed there is the one checked). The action
   * may depend on that account (changePassword is SET_PASSWORD on an account without a password).
   */
  async requireStepUp(auth: Authenticated, action: SensitiveAction | ((account: AccountEntity) => SensitiveAction)): Promise<StepUpProof> {
    const found = await this.liveSession(requireSession(auth), auth);
    if (!found) throw new AppError("UNAUTHENTICATED");
    const { main: session, joined: account } = found;
    if (typeof action === "function") action = action(account);
    switch (verdictWithoutMethods(this.validUntil(session) !== null, action) ?? verdictByMethods(action, await this.methods(account))) {
      case "REQUIRED":
        throw new AppError("STEP_UP_REQUIRED");
      case "NOTHING_TO_PROVE":
        return { session, account, newFactorUsableFrom: addSeconds(this.clock.now(), this.settings.newFactorCooldownSeconds) };
      default:
        return { session, account, newFactorUsableFrom: null };
    }
  }

  /**
   * Until when this request's session may make the changes requireStepUp guards, and which of them
   * would ask for a step-up now, by requireStepUp's own rule. `methods` are the account's step-up
   * methods as the caller just read them. An API key can never step up: every action would ask.
   * A hint for the page, so a query reads the session as authentication gave it (a cached row, dropped
   * on every write to it in every process) instead of costing the page a query. A mutation's payload
   * (`live`) reads it from the database: the mutation may have just changed it (completeStepUp does),
   * and authentication's copy is from before. requireStepUp always reads the database. A query's
   * hints are worked out at once, not as a promise (see `whenReady`).
   */
  hints(auth: Authenticated, methods: readonly VerificationMethod[], live: boolean): MaybePromise<StepUpHints> {
    if (live && auth.session) return this.liveSession(auth.session, auth).then((found) => this.hintsFor(found?.main ?? null, methods));
    return this.hintsFor(auth.session, methods);
  }

  private hintsFor(session: SessionEntity | null, methods: readonly VerificationMethod[]): StepUpHints {
    const validUntil = session ? this.validUntil(session) : null;
    const requiredFor = Object.values(SensitiveAction).filter(
      (action) => !session || (verdictWithoutMethods(validUntil !== null, action) ?? verdictByMethods(action, methods)) === "REQUIRED",
    );
    return { validUntil, requiredFor };
  }

  /** When the session's step-up lapses; null when it has none in force. */
  private validUntil(session: SessionEntity): Date | null {
    if (session.stepUpAt === null) return null;
    const until = addSeconds(session.stepUpAt, this.settings.ttlSeconds);
    return until > this.clock.now() ? until : null;
  }

  /**
   * The session with its account as the database has them, while it is the caller's, has not ended and
   * still has the token the request carried: a token renewed by a step-up in another process, still in
   * this one's cache, gains nothing here.
   */
  private async liveSession(session: SessionEntity, auth: Authenticated) {
    const found = await this.sessionById(session.id);
    const live = found && found.joined.id === auth.account.id && found.main.tokenHash === session.tokenHash;
    return live && found.main.expiresAt > this.clock.now() ? found : null;
  }

  /** What this account can step up with now. */
  methods(account: Pick<AccountEntity, "id" | "passwordHash">): Promise<VerificationMethod[]> {
    return this.factors.available("STEP_UP", account);
  }

  /** Sends a code (EMAIL, SMS) or opens a challenge for a code or password the person knows (TOTP, RECOVERY_CODE, PASSWORD). */
  async request(auth: Authenticated, method: VerificationMethod, meta: RequestMeta): Promise<ChallengeEntity> {
    const session = requireSession(auth);
    const accountId = auth.account.id;
    const notNow = () => AppError.badInput("method", "METHOD_NOT_AVAILABLE", `${method} is not a step-up method of this account now`);
    if (!(await this.methods(auth.account)).includes(method)) throw notNow();
    const base = { data: { purpose: "STEP_UP" } as const, accountId, sessionId: session.id };
    if (!isSentMethod(method)) return this.challenges.expect({ ...base, channel: method });
    const address = await this.factors.addressFor(accountId, method);
    if (!address) throw notNow();
    return this.challenges.issue({ ...base, channel: method, target: address }, meta);
  }

  /**
   * `proof` is the code, or the password for a PASSWORD challenge. The session gets a new token with
   * its step-up: a copy of the old one, taken by whoever read it before, stays without it.
   */
  async complete(auth: Authenticated, challengeId: string, proof: string, meta: RequestMeta): Promise<IssuedSession> {
    const session = requireSession(auth);
    const challenge = await this.factors.prove(
      challengeId,
      proof,
      { purpose: "STEP_UP", accountId: auth.account.id, sessionId: session.id },
      meta,
    );
    return this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const renewed = await this.sessions.renewToken(manager, session, { stepUpAt: this.clock.now() });
      await this.audit.record(manager, auth.account.id, AuditEventType.STEP_UP_COMPLETED, meta, { channel: challenge.channel });
      return renewed;
    });
  }
}
