import { createHmac, randomUUID } from "node:crypto";
import { In, IsNull, LessThanOrEqual, Not, type DataSource, type EntityManager } from "typeorm";
import type { Config } from "../../config";
import type { DataCipher } from "../../core/cipher";
import { addSeconds, type Clock } from "../../core/clock";
import { ipBudgetKey } from "../../core/ip-key";
import { perRow } from "../../core/per-row";
import type { Logger } from "../../core/logger";
import { consumeAll, type RateLimiter } from "../../core/rate-limiter";
import { isAllowedRedirect } from "../../core/redirect-origins";
import { lockUntilCommit } from "../../db/locks";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { RealNameCheckEntity, type RealNameCheckStatus } from "../../entities";
import { AppError, assertThat } from "../../errors";
import { accountPartId } from "../../graphql/account-part-id";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { ProviderError, providerErrorToAppError } from "../../providers/provider-error";
import type { IdentityVerifier } from "../../providers/types";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import { maskIdNumber, maskName, normalizeIdNumber } from "./id-number";
import { RealNameFailureCode, RealNameStatus, type RealNameVerification, type StartRealNameVerificationInput } from "./real-name.types";

const TIMED_OUT = "The verification was not completed in time; start it again.";
const TAKEN = "This ID number is already verified on another account.";

/** How a pending check ended. */
interface Settled {
  readonly status: Exclude<RealNameCheckStatus, "PENDING" | "ABANDONED">;
  readonly code: string | null;
  readonly reason: string | null;
}

export function sealContext(checkId: string, field: string): string {
  return `real-name:${checkId}:${field}`;
}

export interface RealNameLimiters {
  readonly startsByAccount: RateLimiter;
  readonly startsByIp: RateLimiter;
}

/** Whether the account's latest check (see latestCheck) passed. */
export function passed(latest: RealNameCheckEntity | null): boolean {
  return latest?.status === "PASSED";
}

/** The account's latest check that was not abandoned, or null. */
export function latestCheck(manager: EntityManager, accountId: string): Promise<RealNameCheckEntity | null> {
  return manager.findOne(RealNameCheckEntity, {
    where: { accountId, status: In(["PENDING", "PASSED", "FAILED"]) },
    order: { startedAt: "DESC", id: "ASC" },
  });
}

export class RealNameService {
  /** What the page shows of a check's sealed values: opened once per check row (the page's is cached), not on every read. */
  private readonly masksOf = perRow((check: RealNameCheckEntity) => ({
    maskedName: maskName(this.cipher.open(check.legalNameSealed, sealContext(check.id, "legal-name"))),
    maskedIdNumber: maskIdNumber(this.cipher.open(check.idNumberSealed, sealContext(check.id, "id-number"))),
  }));

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly cipher: DataCipher,
    private readonly idNumberKey: Buffer,
    private readonly audit: AuditService,
    private readonly stepUp: StepUpService,
    private readonly verifier: IdentityVerifier | undefined,
    private readonly config: Pick<Config, "publicOrigin" | "redirectOrigins" | "realName">,
    private readonly limiters: RealNameLimiters,
  ) {}

  /** The account's current verification as the console shows it: status and masked values only. */
  async view(accountId: string): Promise<RealNameVerification> {
    return this.viewOf(accountId, await this.latest(accountId));
  }

  /**
   * Account.realName, which a page polls while a check is PENDING: the provider is asked about the
   * check (as refresh does) when nobody asked in the last REAL_NAME_POLL_INTERVAL_SECONDS, whichever
   * process serves the read; else, and when the provider fails, the stored status answers.
   */
  async poll(accountId: string, meta: RequestMeta): Promise<RealNameVerification> {
    const check = await this.latest(accountId);
    if (check?.status !== "PENDING" || !(await this.claimPoll(check))) return this.viewOf(accountId, check);
    try {
      await this.consult(check, meta);
    } catch (error) {
      // A read does not fail for the provider: `call` logged it, and the next poll asks again.
      if (!(error instanceof AppError)) throw error;
      return this.viewOf(accountId, check);
    }
    return this.view(accountId);
  }

  /** `view` of a check already read (the account's latest). */
  viewOf(accountId: string, check: RealNameCheckEntity | null): RealNameVerification {
    const id = accountPartId(accountId, "real-name");
    if (!check) return { id, status: RealNameStatus.NOT_STARTED };
    const pending = check.status === "PENDING";
    return {
      id,
      status: RealNameStatus[check.status as keyof typeof RealNameStatus],
      ...this.masksOf(check),
      verifyUrl: pending ? check.verifyUrl : null,
      verifiedAt: check.verifiedAt,
      failureReason: check.failureReason,
      failureCode: check.failureCode ? RealNameFailureCode[check.failureCode as keyof typeof RealNameFailureCode] : null,
    };
  }

  async hasPassed(accountId: string): Promise<boolean> {
    return passed(await this.latest(accountId));
  }

  /**
   * Starts a check with the provider. A passed account cannot start again; a pending check is
   * abandoned for the new one. Starts are rate-limited per account and IP, and whether the ID number
   * is already taken is told only when the check settles (ID_NUMBER_TAKEN), after the provider
   * checked that it is the person's: answered at start, it let anyone test numbers.
   */
  async start(auth: Authenticated, input: StartRealNameVerificationInput, meta: RequestMeta): Promise<RealNameVerification> {
    const accountId = auth.account.id;
    await this.stepUp.requireStepUp(auth, SensitiveAction.START_REAL_NAME);
    const verifier = this.verifier;
    if (!verifier) throw new AppError("PROVIDER_UNAVAILABLE", {}, "Real-name verification is not offered on this deployment.");
    if (input.returnUrl && !isAllowedRedirect(input.returnUrl, this.config)) {
      throw AppError.badInput("returnUrl", "REDIRECT_NOT_ALLOWED", "returnUrl must be on this server's origin or one of REDIRECT_ORIGINS");
    }
    assertThat(!(await this.hasPassed(accountId)), "ALREADY_VERIFIED");
    const idNumber = normalizeIdNumber(input.idNumber);
    const idNumberHash = this.hashIdNumber(idNumber);
    await consumeAll([
      [this.limiters.startsByAccount, accountId],
      [this.limiters.startsByIp, ipBudgetKey(meta.ip)],
    ]);

    const id = randomUUID();
    const started = await this.call(() =>
      verifier.start({ reference: id, legalName: input.legalName, idNumber, returnUrl: input.returnUrl ?? null }),
    );
    await this.transaction(async (manager) => {
      await namingRows(manager, [{ accountId }], () =>
        manager.update(RealNameCheckEntity, { accountId, status: "PENDING" }, { status: "ABANDONED" }),
      );
      await manager.insert(RealNameCheckEntity, {
        id,
        accountId,
        provider: verifier.id,
        vendorReference: started.vendorReference,
        status: "PENDING",
        legalNameSealed: this.cipher.seal(input.legalName, sealContext(id, "legal-name")),
        idNumberSealed: this.cipher.seal(idNumber, sealContext(id, "id-number")),
        idNumberHash,
        verifyUrl: started.verifyUrl,
        failureReason: null,
        startedAt: this.clock.now(),
        verifiedAt: null,
        polledAt: null,
      });
      await this.audit.record(manager, accountId, AuditEventType.REAL_NAME_STARTED, meta, { provider: verifier.id });
    });
    return this.view(accountId);
  }

  /**
   * Asks the provider how the pending check went and records PASSED or FAILED. A check the provider
   * still reports as not passed after REAL_NAME_PENDING_TIMEOUT_SECONDS counts as failed.
   */
  async refresh(auth: Authenticated, meta: RequestMeta): Promise<RealNameVerification> {
    const accountId = auth.account.id;
    const check = await this.latest(accountId);
    if (check?.status === "PENDING") await this.consult(check, meta);
    return this.view(accountId);
  }

  /**
   * Takes this interval's one provider question about a pending check: a compare-and-set on
   * polledAt, so of all the reads of all processes in an interval exactly one asks.
   */
  private async claimPoll(check: RealNameCheckEntity): Promise<boolean> {
    const now = this.clock.now();
    const due = addSeconds(now, -this.config.realName.pollIntervalSeconds);
    const pending = { id: check.id, status: "PENDING" as const };
    const claimed = await this.transaction((manager) =>
      namingRows(manager, [check], () =>
        manager.update(
          RealNameCheckEntity,
          [
            { ...pending, polledAt: IsNull() },
            { ...pending, polledAt: LessThanOrEqual(due) },
          ],
          { polledAt: now },
        ),
      ),
    );
    return claimed.affected === 1;
  }

  /** Asks the provider about a pending check and records how it ended, if it did. */
  private async consult(check: RealNameCheckEntity, meta: RequestMeta): Promise<void> {
    const verifier = this.verifier;
    if (!verifier || verifier.id !== check.provider) throw new AppError("PROVIDER_UNAVAILABLE");

    const answer = await this.call(() => verifier.query(check.vendorReference));
    let result: Settled | null =
      answer.status === "PENDING" ? null : { status: answer.status, code: answer.failureCode ?? null, reason: answer.reason ?? null };
    const timedOut = addSeconds(check.startedAt, this.config.realName.pendingTimeoutSeconds) <= this.clock.now();
    if (!result && timedOut) result = { status: "FAILED", code: RealNameFailureCode.TIMED_OUT, reason: TIMED_OUT };
    if (result) await this.settle(check, result, meta);
  }

  /**
   * Records the outcome. A pass is counted against REAL_NAME_MAX_ACCOUNTS_PER_ID inside the same
   * transaction, under a lock on the ID number, so parallel refreshes cannot all pass it.
   */
  private async settle(check: RealNameCheckEntity, outcome: Settled, meta: RequestMeta) {
    await this.transaction(async (manager) => {
      const taken = outcome.status === "PASSED" && !(await this.idNumberAvailable(manager, check.idNumberHash, check.accountId));
      const { status, code, reason } = taken
        ? { status: "FAILED" as const, code: RealNameFailureCode.ID_NUMBER_TAKEN, reason: TAKEN }
        : outcome;
      const now = this.clock.now();
      // Only a check still pending is settled: two refreshes at once record one outcome.
      const settled = await namingRows(manager, [check], () =>
        manager.update(
          RealNameCheckEntity,
          { id: check.id, status: "PENDING" },
          status === "PASSED" ? { status, verifiedAt: now } : { status, failureReason: reason, failureCode: code },
        ),
      );
      if (!settled.affected) return;
      const type = status === "PASSED" ? AuditEventType.REAL_NAME_PASSED : AuditEventType.REAL_NAME_FAILED;
      await this.audit.record(
        manager,
        check.accountId,
        type,
        meta,
        status === "FAILED" ? { code: code ?? "", reason: reason ?? "" } : undefined,
      );
    });
  }

  private latest(accountId: string): Promise<RealNameCheckEntity | null> {
    return latestCheck(this.dataSource.manager, accountId);
  }

  /**
   * True while fewer than REAL_NAME_MAX_ACCOUNTS_PER_ID other accounts passed with this number.
   * Holds the number's lock until the transaction ends, so parallel settles count one at a time.
   */
  private async idNumberAvailable(manager: EntityManager, idNumberHash: string, accountId: string): Promise<boolean> {
    await lockUntilCommit(manager, `real-name:${idNumberHash}`);
    const others = await manager.countBy(RealNameCheckEntity, { idNumberHash, status: "PASSED", accountId: Not(accountId) });
    return others < this.config.realName.maxAccountsPerIdNumber;
  }

  private hashIdNumber(idNumber: string): string {
    return createHmac("sha256", this.idNumberKey).update(idNumber).digest("hex");
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn({ provider: "identity", code: error.code, vendorCode: error.vendorCode }, "identity verification call failed");
      throw providerErrorToAppError(error);
    }
  }
}
