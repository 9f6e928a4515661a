import type { Clock } from "../../core/clock";
import type { RateLimiter } from "../../core/rate-limiter";
import { AppError } from "../../errors";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity } from "../../entities";
import { requireSession, type Authenticated, type RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { NoticeService } from "../notice/notice.service";
import type { SessionService } from "../session/session.service";
import type { StepUpService } from "../step-up/step-up.service";
import type { PasswordHasher } from "./password-hasher";
import type { ChangePasswordInput } from "./password.types";

export class PasswordService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly failuresByAccount: RateLimiter,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
  ) {}

  /**
   * Sets a new password after checking the old one, and signs out every other session, so a thief
   * holding a stolen session loses it when the owner changes the password. With a second factor
   * bound, a stolen session plus a guessed password is not enough: a recent step-up is needed too.
   */
  async changePassword(auth: Authenticated, input: ChangePasswordInput, meta: RequestMeta): Promise<void> {
    await this.stepUp.assertRecent(auth);
    const { account } = auth;
    const session = requireSession(auth);
    // Reserved before the check, so parallel guesses share the budget; the right password clears it.
    await this.failuresByAccount.consume(account.id);
    if (!(await this.hasher.verify(input.oldPassword, account.passwordHash))) {
      await this.transaction((manager) => this.audit.record(manager, account.id, AuditEventType.PASSWORD_CHANGE_FAILED, meta));
      throw new AppError("INVALID_CREDENTIALS", {
        fieldErrors: [{ field: "oldPassword", messages: ["The current password is not correct."] }],
      });
    }
    await this.failuresByAccount.reset(account.id);
    if (input.newPassword === input.oldPassword) {
      throw AppError.badInput("newPassword", "newPassword must differ from the current password");
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.transaction(async (manager) => {
      const now = this.clock.now();
      // Guarded by the old hash: of two concurrent changes, only the first one applies.
      const result = await manager.update(
        AccountEntity,
        { id: account.id, passwordHash: account.passwordHash! },
        { passwordHash, passwordChangedAt: now, updatedAt: now },
      );
      if (!result.affected) throw new AppError("INVALID_CREDENTIALS");
      const revokedSessions = await this.sessions.revokeAllExcept(manager, account.id, session.id);
      await this.audit.record(manager, account.id, AuditEventType.PASSWORD_CHANGED, meta, { revokedSessions });
    });
    this.notices.notify(account.id, "PASSWORD_CHANGED");
  }
}
