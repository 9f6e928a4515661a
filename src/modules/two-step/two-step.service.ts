import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity } from "../../entities";
import { AppError } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { hasSecondFactor } from "../factors/second-factors";
import type { NoticeService } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";

/**
 * Two-step verification on or off. With it on, a proven first factor opens a TWO_STEP challenge
 * instead of a session (sign-in/SignInService), which one second factor of the person's choice finishes.
 */
export class TwoStepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
  ) {}

  /** Either way needs a recent step-up; turning it on also needs a usable second factor to sign in with. */
  async set(auth: Authenticated, enabled: boolean, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    // The account as the database has it: another process's change may not have reached the cache.
    const { account } = await this.stepUp.requireStepUp(auth, SensitiveAction.SET_TWO_STEP);
    if (enabled && !(await hasSecondFactor(this.dataSource.manager, accountId, this.clock.now()))) {
      throw AppError.badInput("enabled", "SECOND_FACTOR_REQUIRED", "bind an email, a phone or an authenticator app first");
    }
    if (account.twoStepEnabled !== enabled) {
      const sendNotice = await this.transaction(async (manager) => {
        const notice = await this.notices.wayInChanged(manager, accountId, enabled ? "TWO_STEP_ENABLED" : "TWO_STEP_DISABLED");
        await namingRows(manager, [{ accountId }], () => manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: enabled }));
        await this.audit.record(manager, accountId, enabled ? AuditEventType.TWO_STEP_ENABLED : AuditEventType.TWO_STEP_DISABLED, meta);
        return notice;
      });
      sendNotice();
    }
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }
}
