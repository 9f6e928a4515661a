import { randomUUID } from "node:crypto";
import { Not, type DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { isUniqueViolation } from "../../db/data-source";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { normalizeUsername } from "../account/username";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { normalizeAddress } from "../contact/contact-address";
import type { ContactKind } from "../contact/contact.types";
import type { NoticeService } from "../notice/notice.service";

export const SUPPORT_ROLE = "SUPPORT";

export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notices: NoticeService,
  ) {}

  /**
   * Support staff replace a bound email or phone for a user who lost it. The user's log records it
   * with the reason and who did it, and both the old and the new address are told.
   */
  async replaceContact(
    support: Authenticated,
    accountId: string,
    kind: ContactKind,
    rawAddress: string,
    reason: string,
    meta: RequestMeta,
  ): Promise<AccountEntity> {
    const address = normalizeAddress(kind, rawAddress);
    if (!address) throw AppError.badInput("address", `address is not a valid ${kind.toLowerCase()}`);
    let former: IdentityEntity | null;
    try {
      former = await this.transaction(async (manager) => {
        assertThat(await manager.existsBy(AccountEntity, { id: accountId }), "NOT_FOUND");
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, subject: address, accountId: Not(accountId) })), "IDENTITY_TAKEN");
        const previous = await manager.findOneBy(IdentityEntity, { accountId, kind });
        await manager.delete(IdentityEntity, { accountId, kind });
        const now = this.clock.now();
        await manager.insert(IdentityEntity, { id: randomUUID(), accountId, kind, subject: address, verifiedAt: now, profile: null, createdAt: now });
        await this.audit.record(manager, accountId, AuditEventType.CONTACT_REPLACED_BY_SUPPORT, meta, {
          kind,
          reason,
          supportAccountId: support.account.id,
        });
        return previous;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("IDENTITY_TAKEN");
      throw error;
    }
    this.notices.notify(accountId, "CONTACT_REPLACED", former ? [{ kind, address: former.subject }] : []);
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }
}

/** Gives an account a role (used by the `account:grant-role` script). False when no such username. */
export async function grantRole(dataSource: DataSource, username: string, role: string): Promise<boolean> {
  const repository = dataSource.getRepository(AccountEntity);
  const account = await repository.findOneBy({ usernameNormalized: normalizeUsername(username) });
  if (!account) return false;
  const roles = new Set(account.roles.split(" ").filter(Boolean));
  roles.add(role);
  await repository.update({ id: account.id }, { roles: [...roles].join(" ") });
  return true;
}
