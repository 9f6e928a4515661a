import { randomUUID } from "node:crypto";
import { IsNull, Not, type DataSource } from "typeorm";
import type { DataCipher } from "../../core/cipher";
import type { Clock } from "../../core/clock";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, RecoveryCodeEntity, TotpCredentialEntity } from "../../entities";
import { AppError } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { NoticeService } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import { newTotpSecret, totpUri } from "../factors/totp-code";
import { turnOffTwoStepWithoutFactors } from "../two-step/turn-off-without-factors";
import { totpSealContext, type SecondFactorVerifier } from "../factors/second-factor-verifier";
import type { TotpEnrollment } from "./totp.types";

export class TotpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly cipher: DataCipher,
    private readonly audit: AuditService,
    private readonly stepUp: StepUpService,
    private readonly localFactors: SecondFactorVerifier,
    private readonly notices: NoticeService,
    private readonly issuer: string,
  ) {}

  /**
   * A fresh 160-bit secret, kept sealed on a pending row; the active authenticator (if any) keeps
   * working until the new one is confirmed. Needs a recent step-up, as does the confirmation.
   */
  async startEnrollment(auth: Authenticated): Promise<TotpEnrollment> {
    await this.stepUp.requireStepUp(auth, SensitiveAction.ENROLL_TOTP);
    const secret = newTotpSecret();
    const id = randomUUID();
    await this.transaction(async (manager) => {
      const accountId = auth.account.id;
      await namingRows(manager, [{ accountId }], () => manager.delete(TotpCredentialEntity, { accountId, confirmedAt: IsNull() }));
      await manager.insert(TotpCredentialEntity, {
        id,
        accountId,
        secretSealed: this.cipher.seal(secret, totpSealContext(id)),
        confirmedAt: null,
        lastUsedStep: null,
        usableFrom: null,
        createdAt: this.clock.now(),
      });
    });
    return { secret, otpauthUri: totpUri(this.issuer, auth.account.username, secret) };
  }

  /**
   * Activates the pending secret with a code from the app and returns 10 new recovery codes, shown
   * once. Enrolled without a step-up (nothing to step up with), the app and its codes cool first.
   */
  async confirmEnrollment(auth: Authenticated, code: string, meta: RequestMeta): Promise<string[]> {
    const accountId = auth.account.id;
    const { newFactorUsableFrom } = await this.stepUp.requireStepUp(auth, SensitiveAction.ENROLL_TOTP);
    const pending = await this.dataSource.getRepository(TotpCredentialEntity).findOneBy({ accountId, confirmedAt: IsNull() });
    if (!pending) throw AppError.badInput("code", "ENROLLMENT_NOT_STARTED", "start an enrolment first (startTotpEnrollment)");
    const step = await this.localFactors.matchPendingStep(pending, code);
    if (step === null) throw new AppError("CODE_INVALID");
    const { codes, sendNotice } = await this.transaction(async (manager) => {
      const notice = await this.notices.wayInChanged(manager, accountId, "TOTP_ENABLED");
      await namingRows(manager, [{ accountId }], () => manager.delete(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) }));
      const activated = await namingRows(manager, [pending], () =>
        manager.update(
          TotpCredentialEntity,
          { id: pending.id, confirmedAt: IsNull() },
          { confirmedAt: this.clock.now(), lastUsedStep: step, usableFrom: newFactorUsableFrom },
        ),
      );
      if (!activated.affected) throw new AppError("CODE_INVALID");
      const fresh = await this.localFactors.replaceRecoveryCodes(manager, accountId);
      await this.audit.record(manager, accountId, AuditEventType.TOTP_ENABLED, meta);
      return { codes: fresh, sendNotice: notice };
    });
    sendNotice();
    return codes;
  }

  /**
   * Removes the authenticator, with a current code from it and a recent step-up. Its recovery codes
   * go with it; if nothing else is left to verify with, two-step sign-in is turned off too.
   */
  async disable(auth: Authenticated, code: string, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    await this.stepUp.requireStepUp(auth, SensitiveAction.DISABLE_TOTP);
    if (!(await this.localFactors.activeCredential(accountId)))
      throw AppError.badInput("code", "METHOD_NOT_AVAILABLE", "no authenticator app is set up");
    if (!(await this.localFactors.verifyTotp(accountId, code, { includeCooling: true }))) throw new AppError("CODE_INVALID");
    const sendNotice = await this.transaction(async (manager) => {
      const notice = await this.notices.wayInChanged(manager, accountId, "TOTP_DISABLED");
      await namingRows(manager, [{ accountId }], async () => {
        await manager.delete(TotpCredentialEntity, { accountId });
        await manager.delete(RecoveryCodeEntity, { accountId });
      });
      await this.audit.record(manager, accountId, AuditEventType.TOTP_DISABLED, meta);
      await turnOffTwoStepWithoutFactors(manager, this.audit, accountId, meta, this.clock.now());
      return notice;
    });
    sendNotice();
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  /** New recovery codes (the old ones stop working), with a recent step-up. */
  async regenerateRecoveryCodes(auth: Authenticated, meta: RequestMeta): Promise<string[]> {
    await this.stepUp.requireStepUp(auth, SensitiveAction.REGENERATE_RECOVERY_CODES);
    if (!(await this.localFactors.activeCredential(auth.account.id))) {
      throw new AppError("BAD_USER_INPUT", { fieldErrors: [] }, "Recovery codes come with an authenticator app; set one up first.");
    }
    const { codes, sendNotice } = await this.transaction(async (manager) => {
      const notice = await this.notices.wayInChanged(manager, auth.account.id, "RECOVERY_CODES_REGENERATED");
      const fresh = await this.localFactors.replaceRecoveryCodes(manager, auth.account.id);
      await this.audit.record(manager, auth.account.id, AuditEventType.RECOVERY_CODES_REGENERATED, meta);
      return { codes: fresh, sendNotice: notice };
    });
    sendNotice();
    return codes;
  }
}
