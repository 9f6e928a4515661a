import { randomUUID } from "node:crypto";
import { Not, type DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { isUniqueViolation } from "../../db/data-source";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity } from "../../entities";
import { AppError, assertThat, fieldError } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { normalizeUsername } from "../account/username";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import { invalidAddress, normalizeAddress } from "../contact/contact-address";
import { toContact } from "../contact/contact.service";
import { type Contact, ContactKind } from "../contact/contact.types";
import type { NoticeService, SendNotice } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import type { SupportAccountView } from "./admin.types";

/** The account as support sees it after the replacement, and the address it now has. */
export interface ContactReplaced {
  readonly account: SupportAccountView;
  readonly contact: Contact;
}

export const SUPPORT_ROLE = "SUPPORT";
/** Roles whose accounts support may not change: staff do not take over each other. */
const STAFF_ROLES = [SUPPORT_ROLE, "ADMIN"];

export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
  ) {}

  /**
   * Support staff replace a bound email or phone for a user who lost it, after a fresh step-up of
   * their own, never on their own or another staff account. The user's log records it with the
   * reason and who did it; every address bound before, and the new one, are told.
   */
  async replaceContact(
    support: Authenticated,
    accountId: string,
    kind: ContactKind,
    rawAddress: string,
    reason: string,
    meta: RequestMeta,
  ): Promise<ContactReplaced> {
    const address = normalizeAddress(kind, rawAddress);
    if (!address) throw new AppError("BAD_USER_INPUT", { fieldErrors: [fieldError("address", invalidAddress(kind))] });
    await this.stepUp.requireStepUp(support, SensitiveAction.REPLACE_CONTACT_AS_SUPPORT);
    assertThat(accountId !== support.account.id, "FORBIDDEN");
    let sendNotice: SendNotice;
    let bound: IdentityEntity;
    try {
      ({ sendNotice, bound } = await this.transaction(async (manager) => {
        const account = await manager.findOneBy(AccountEntity, { id: accountId });
        assertThat(account, "NOT_FOUND");
        assertThat(!account.roles.split(" ").some((role) => STAFF_ROLES.includes(role)), "FORBIDDEN");
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, subject: address, accountId: Not(accountId) })), "IDENTITY_TAKEN");
        const notice = await this.notices.wayInChanged(manager, accountId, "CONTACT_REPLACED", { kind, address });
        const previous = await manager.findOneBy(IdentityEntity, { accountId, kind });
        if (previous) {
          await namingRows(manager, [previous], () => manager.delete(IdentityEntity, { id: previous.id }));
          await this.challenges.retireSentTo(manager, accountId, previous.subject);
        }
        const now = this.clock.now();
        const row = manager.create(IdentityEntity, {
          id: randomUUID(),
          accountId,
          kind,
          subject: address,
          verifiedAt: now,
          profile: null,
          usableFrom: null,
          createdAt: now,
        });
        await manager.insert(IdentityEntity, row);
        await this.audit.record(manager, accountId, AuditEventType.CONTACT_REPLACED_BY_SUPPORT, meta, {
          kind,
          reason,
          supportAccountId: support.account.id,
        });
        return { sendNotice: notice, bound: row };
      }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("IDENTITY_TAKEN");
      throw error;
    }
    sendNotice();
    return { account: await this.view(accountId), contact: toContact(bound, this.clock.now()) };
  }

  private async view(accountId: string): Promise<SupportAccountView> {
    const [account, contacts] = await Promise.all([
      this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId }),
      this.dataSource.getRepository(IdentityEntity).findBy({ accountId }),
    ]);
    const now = this.clock.now();
    const contactOf = (kind: ContactKind) => {
      const identity = contacts.find((c) => c.kind === kind);
      return identity ? toContact(identity, now) : null;
    };
    return { id: account.id, username: account.username, email: contactOf(ContactKind.EMAIL), phone: contactOf(ContactKind.PHONE) };
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
