import type { DataSource } from "typeorm";
import type { BackgroundTasks } from "../../core/background";
import type { Clock } from "../../core/clock";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, ApiKeyEntity, IdentityEntity, SessionEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { RequestMeta } from "../../graphql/context";
import { parseSignInName } from "../account/sign-in-name";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import { isUsable } from "../factors/usable";
import { sentMethodOf } from "../factors/vocabulary";
import type { NoticeService } from "../notice/notice.service";
import type { PasswordHasher } from "../password/password-hasher";
import type { PasswordReplaced } from "../password/password.service";
import type { ResetPasswordInput } from "./password-reset.types";

export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly notices: NoticeService,
    private readonly background: BackgroundTasks,
  ) {}

  /**
   * Answers the same, equally fast, whether or not the identifier belongs to anyone: the answer
   * depends only on the caller's IP budget, spent alike for both, and the look-up and the sending
   * happen after it (against the address's reset budget, never the caller's or the owner's).
   */
  async request(identifier: string, meta: RequestMeta): Promise<void> {
    await this.challenges.spendCallerBudget(meta);
    const name = parseSignInName(identifier);
    if (name.kind === "USERNAME") return;
    this.background.run("password-reset", async () => {
      // A cooling address (bound without a step-up) cannot recover the account yet.
      const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ kind: name.kind, subject: name.subject });
      if (!identity || !isUsable(identity, this.clock.now())) {
        await this.challenges.decoy({ purpose: "PASSWORD_RESET" }, sentMethodOf(name.kind), name.subject);
        return;
      }
      try {
        await this.challenges.issue(
          { data: { purpose: "PASSWORD_RESET" }, accountId: identity.accountId, channel: sentMethodOf(name.kind), target: name.subject },
          meta,
        );
      } catch (error) {
        // Budgets and provider failures cannot be reported without telling that the account exists.
        if (!(error instanceof AppError)) throw error;
      }
    });
  }

  /**
   * Sets the new password with the code sent to the identifier, signs out every session and revokes
   * every API key. The code counts only while its address is still bound, and usable, on that account.
   */
  async reset(input: ResetPasswordInput, meta: RequestMeta): Promise<PasswordReplaced> {
    const name = parseSignInName(input.identifier);
    if (name.kind === "USERNAME") throw new AppError("CODE_INVALID");
    // An address asked for that nobody may recover has a decoy challenge, answered in the same steps.
    const challenge = await this.challenges.findLatest("PASSWORD_RESET", name.subject);
    if (!challenge) throw new AppError("CODE_INVALID");
    await this.challenges
      .check(challenge.id, input.code, { purpose: "PASSWORD_RESET", accountId: undefined }, meta)
      .catch((error: unknown) => {
        // A code never asked for has no challenge to expire or spend: these answer as that does.
        if (error instanceof AppError && (error.code === "CODE_EXPIRED" || error.code === "TOO_MANY_ATTEMPTS"))
          throw new AppError("CODE_INVALID");
        throw error;
      });
    const accountId = challenge.accountId;
    assertThat(accountId, "CODE_INVALID");
    const passwordHash = await this.hasher.hash(input.newPassword);
    const { sendNotice, replaced } = await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const now = this.clock.now();
      const address = await manager.findOneBy(IdentityEntity, { accountId, kind: name.kind, subject: name.subject });
      assertThat(address && isUsable(address, now), "CODE_INVALID");
      const sendNotice = await this.notices.wayInChanged(manager, accountId, "PASSWORD_RESET");
      // Three tables, one account: named by the account alone (an id would name a row of each table).
      const { revokedSessionCount, revokedApiKeyCount } = await namingRows(manager, [{ accountId }], async () => {
        await manager.update(AccountEntity, { id: accountId }, { passwordHash, passwordChangedAt: now, updatedAt: now });
        return {
          revokedSessionCount: (await manager.delete(SessionEntity, { accountId })).affected ?? 0,
          revokedApiKeyCount: (await manager.delete(ApiKeyEntity, { accountId })).affected ?? 0,
        };
      });
      await this.audit.record(manager, accountId, AuditEventType.PASSWORD_RESET, meta, {
        revokedSessions: revokedSessionCount,
        revokedApiKeys: revokedApiKeyCount,
      });
      return { sendNotice, replaced: { revokedSessionCount, revokedApiKeyCount } };
    });
    sendNotice();
    return replaced;
  }
}
