import type { Clock } from "../../core/clock";
import { AppError } from "../../errors";
import { isUniqueViolation } from "../../db/data-source";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { NoticeService } from "../notice/notice.service";
import type { UpdateProfileInput } from "./account.types";
import type { TakenAnswers } from "./taken-answers";
import { normalizeUsername } from "./username";

export class AccountService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly takenAnswers: TakenAnswers,
    private readonly notices: NoticeService,
  ) {}

  /**
   * Changes username and/or avatar. `undefined` keeps a field; a null avatar removes it. The new
   * username is checked inside the transaction, and the unique index settles a race. The username
   * signs in, so its change is told to the bound addresses: a stolen session or key that renames the
   * account must not leave the owner trying the old name unaware.
   */
  async updateProfile(accountId: string, input: UpdateProfileInput, meta: RequestMeta): Promise<AccountEntity> {
    try {
      const { account, sendNotice } = await this.transaction(async (manager) => {
        const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
        const changed: string[] = [];
        if (input.username != null && input.username !== account.username) {
          const normalized = normalizeUsername(input.username);
          if (normalized !== account.usernameNormalized) {
            const taken = await this.takenAnswers.isTaken(accountId, meta, () =>
              manager.existsBy(AccountEntity, { usernameNormalized: normalized }),
            );
            if (taken) throw new AppError("USERNAME_TAKEN");
          }
          account.username = input.username;
          account.usernameNormalized = normalized;
          changed.push("username");
        }
        if (input.avatarUrl !== undefined && input.avatarUrl !== account.avatarUrl) {
          account.avatarUrl = input.avatarUrl;
          changed.push("avatarUrl");
        }
        if (changed.length === 0) return { account, sendNotice: () => undefined };
        const sendNotice = changed.includes("username")
          ? await this.notices.wayInChanged(manager, account.id, "USERNAME_CHANGED")
          : () => undefined;
        account.updatedAt = this.clock.now();
        await manager.save(account);
        await this.audit.record(manager, account.id, AuditEventType.PROFILE_UPDATED, meta, { changed });
        return { account, sendNotice };
      });
      sendNotice();
      return account;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("USERNAME_TAKEN");
      throw error;
    }
  }
}
