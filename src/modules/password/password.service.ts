import { IsNull } from "typeorm";
import type { Clock } from "../../core/clock";
import { AppError, fieldError } from "../../errors";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, ApiKeyEntity } from "../../entities";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { NoticeService } from "../notice/notice.service";
import type { IssuedSession, SessionService } from "../session/session.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import type { PasswordHasher } from "./password-hasher";
import type { PasswordVerifier } from "./password-verifier";
import type { ChangePasswordInput } from "./password.types";

/** What a new password (changed or reset) ended besides the old one. */
export interface PasswordReplaced {
  readonly revokedSessionCount: number;
  readonly revokedApiKeyCount: number;
}

export class PasswordService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly verifier: PasswordVerifier,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
  ) {}

  /**
   * Sets a new password after checking the old one, signs out every other session, gives this one a
   * new token (and, unless asked not to, revokes every API key), so a thief holding a stolen session,
   * a copy of this session's token, or a key loses it when the owner changes the password. With a second factor bound, a stolen session plus a guessed
   * password is not enough: a recent step-up is needed too; without one, the old password is the step-up.
   * An account without a password (made through a provider) sets its first one here, after a step-up
   * it cannot skip (SET_PASSWORD).
   */
  async changePassword(
    auth: Authenticated,
    input: ChangePasswordInput,
    meta: RequestMeta,
  ): Promise<PasswordReplaced & IssuedSession & { account: AccountEntity }> {
    // The stored hash, not a cached one: the password may have changed in another process.
    const { account, session } = await this.stepUp.requireStepUp(auth, (stored) =>
      stored.passwordHash === null ? SensitiveAction.SET_PASSWORD : SensitiveAction.CHANGE_PASSWORD,
    );
    const first = account.passwordHash === null;
    if (!first) await this.checkOldPassword(account, input, meta);
    const passwordHash = await this.hasher.hash(input.newPassword);
    const { sendNotice, changed } = await this.transaction(async (manager) => {
      const sendNotice = await this.notices.wayInChanged(manager, account.id, first ? "PASSWORD_SET" : "PASSWORD_CHANGED");
      const now = this.clock.now();
      // Guarded by the old hash: of two concurrent changes, only the first one applies.
      const named = [{ accountId: account.id }];
      const result = await namingRows(manager, named, () =>
        manager.update(
          AccountEntity,
          { id: account.id, passwordHash: account.passwordHash ?? IsNull() },
          { passwordHash, passwordChangedAt: now, updatedAt: now },
        ),
      );
      if (!result.affected) throw new AppError("INVALID_CREDENTIALS");
      const revokedSessionCount = await this.sessions.revokeAllExcept(manager, account.id, session.id);
      // A copy of this session's own token goes too: it is the one session a thief may share with the owner.
      const renewed = await this.sessions.renewToken(manager, session, {});
      const revokedApiKeyCount = input.revokeApiKeys
        ? ((await namingRows(manager, named, () => manager.delete(ApiKeyEntity, { accountId: account.id }))).affected ?? 0)
        : 0;
      await this.audit.record(manager, account.id, first ? AuditEventType.PASSWORD_SET : AuditEventType.PASSWORD_CHANGED, meta, {
        revokedSessions: revokedSessionCount,
        revokedApiKeys: revokedApiKeyCount,
      });
      // The account as the guarded update left it.
      const changed = {
        account: { ...account, passwordHash, passwordChangedAt: now, updatedAt: now },
        revokedSessionCount,
        revokedApiKeyCount,
        ...renewed,
      };
      return { sendNotice, changed };
    });
    sendNotice();
    return changed;
  }

  private async checkOldPassword(account: AccountEntity, input: ChangePasswordInput, meta: RequestMeta): Promise<void> {
    if (input.oldPassword == null) {
      throw AppError.badInput("oldPassword", "REQUIRED", "oldPassword is required: the account has a password");
    }
    if (!(await this.verifier.verify(account, input.oldPassword))) {
      await this.transaction((manager) => this.audit.record(manager, account.id, AuditEventType.PASSWORD_CHANGE_FAILED, meta));
      throw new AppError("INVALID_CREDENTIALS", {
        fieldErrors: [fieldError("oldPassword", { code: "INCORRECT", message: "The current password is not correct." })],
      });
    }
    if (input.newPassword === input.oldPassword) {
      throw AppError.badInput("newPassword", "SAME_AS_CURRENT", "newPassword must differ from the current password");
    }
  }
}
