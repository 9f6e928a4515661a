import { randomUUID } from "node:crypto";
import { Not, type DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { perRow } from "../../core/per-row";
import { isUniqueViolation } from "../../db/data-source";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat, fieldError } from "../../errors";
import { accountPartId } from "../../graphql/account-part-id";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { TakenAnswers } from "../account/taken-answers";
import type { AuditService } from "../audit/audit.service";
import { readChallengeData } from "../challenge/challenge-data";
import type { ChallengeService } from "../challenge/challenge.service";
import { coolingUntil } from "../factors/usable";
import { sentMethodOf } from "../factors/vocabulary";
import type { NoticeService, SendNotice } from "../notice/notice.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import { turnOffTwoStepWithoutFactors } from "../two-step/turn-off-without-factors";
import { invalidAddress, maskAddress, normalizeAddress } from "./contact-address";
import { type Contact, ContactKind } from "./contact.types";
import { keepsSignInMethod } from "./sign-in-methods";

// Once per row: the page reads its contacts from a cache, and libphonenumber's parse of the number showed in its profile.
const maskedSubject = perRow((identity: IdentityEntity) => maskAddress(identity.kind as ContactKind, identity.subject));

/** What a client may see of a bound email or phone. */
export function toContact(identity: IdentityEntity, now: Date): Contact {
  const kind = identity.kind as ContactKind;
  return {
    id: accountPartId(identity.accountId, kind),
    kind,
    masked: maskedSubject(identity),
    verifiedAt: identity.verifiedAt,
    usableFrom: coolingUntil(identity, now),
  };
}

/** The account after a binding, with the address it bound. */
export interface ContactBound {
  readonly account: AccountEntity;
  readonly contact: Contact;
}

/** The account after an unbinding, with the kind of address it removed. */
export interface ContactUnbound {
  readonly account: AccountEntity;
  readonly kind: ContactKind;
}

export class ContactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
    private readonly takenAnswers: TakenAnswers,
  ) {}

  /** Sends a code to the new address; binding (a first address too) or replacing needs a recent step-up. */
  async startBinding(auth: Authenticated, kind: ContactKind, rawAddress: string, meta: RequestMeta): Promise<ChallengeEntity> {
    const address = normalizeAddress(kind, rawAddress);
    if (!address) throw new AppError("BAD_USER_INPUT", { fieldErrors: [fieldError("address", invalidAddress(kind))] });
    const identities = this.dataSource.getRepository(IdentityEntity);
    const current = await identities.findOneBy({ accountId: auth.account.id, kind });
    if (current?.subject === address) throw AppError.badInput("address", "ALREADY_BOUND", "this address is already bound to your account");
    await this.stepUp.requireStepUp(auth, SensitiveAction.BIND_CONTACT);
    assertThat(
      !(await this.takenAnswers.isTaken(auth.account.id, meta, () => identities.existsBy({ kind, subject: address }))),
      "IDENTITY_TAKEN",
    );
    return this.challenges.issue(
      { data: { purpose: "BIND_CONTACT", kind, address }, accountId: auth.account.id, channel: sentMethodOf(kind), target: address },
      meta,
    );
  }

  async confirmBinding(auth: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<ContactBound> {
    const accountId = auth.account.id;
    const { newFactorUsableFrom } = await this.stepUp.requireStepUp(auth, SensitiveAction.BIND_CONTACT);
    const challenge = await this.challenges.check(challengeId, code, { purpose: "BIND_CONTACT", accountId }, meta);
    const { kind, address } = readChallengeData(challenge, "BIND_CONTACT");
    let sendNotice: SendNotice;
    let bound: IdentityEntity;
    try {
      ({ sendNotice, bound } = await this.transaction(async (manager) => {
        await this.challenges.consume(manager, challenge);
        // The world may have changed since the code was sent: re-check the owner of the address.
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, subject: address, accountId: Not(accountId) })), "IDENTITY_TAKEN");
        const replaced = await manager.findOneBy(IdentityEntity, { accountId, kind });
        const notice = await this.notices.wayInChanged(manager, accountId, replaced ? "CONTACT_REPLACED" : "CONTACT_BOUND", {
          kind,
          address,
        });
        if (replaced) {
          await namingRows(manager, [replaced], () => manager.delete(IdentityEntity, { id: replaced.id }));
          await this.challenges.retireSentTo(manager, accountId, replaced.subject);
        }
        const now = this.clock.now();
        const row = manager.create(IdentityEntity, {
          id: randomUUID(),
          accountId,
          kind,
          subject: address,
          verifiedAt: now,
          profile: null,
          usableFrom: newFactorUsableFrom,
          createdAt: now,
        });
        await manager.insert(IdentityEntity, row);
        await this.audit.record(manager, accountId, replaced ? AuditEventType.CONTACT_REPLACED : AuditEventType.CONTACT_BOUND, meta, {
          kind,
          ...(newFactorUsableFrom ? { usableFrom: newFactorUsableFrom.toISOString() } : {}),
        });
        return { sendNotice: notice, bound: row };
      }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("IDENTITY_TAKEN");
      throw error;
    }
    sendNotice();
    const account = await this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
    return { account, contact: toContact(bound, this.clock.now()) };
  }

  /** Sends a code to the bound address; needs a recent step-up. */
  async startUnbinding(auth: Authenticated, kind: ContactKind, meta: RequestMeta): Promise<ChallengeEntity> {
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ accountId: auth.account.id, kind });
    if (!identity) throw AppError.badInput("kind", "NOT_BOUND", `no ${kind.toLowerCase()} is bound to this account`);
    await this.stepUp.requireStepUp(auth, SensitiveAction.UNBIND_CONTACT);
    await this.assertKeepsSignInMethod(auth.account, kind);
    return this.challenges.issue(
      { data: { purpose: "UNBIND_CONTACT", kind }, accountId: auth.account.id, channel: sentMethodOf(kind), target: identity.subject },
      meta,
    );
  }

  async confirmUnbinding(auth: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<ContactUnbound> {
    const accountId = auth.account.id;
    await this.stepUp.requireStepUp(auth, SensitiveAction.UNBIND_CONTACT);
    const challenge = await this.challenges.check(challengeId, code, { purpose: "UNBIND_CONTACT", accountId }, meta);
    const { kind } = readChallengeData(challenge, "UNBIND_CONTACT");
    const sendNotice = await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const notice = await this.notices.wayInChanged(manager, accountId, "CONTACT_UNBOUND");
      const removed = await namingRows(manager, [{ accountId }], () =>
        manager.delete(IdentityEntity, { accountId, kind, subject: challenge.target }),
      );
      // Replaced or removed meanwhile: this code was for an address that is no longer bound.
      assertThat(removed.affected, "CODE_INVALID");
      await this.challenges.retireSentTo(manager, accountId, challenge.target);
      const remaining = await manager.findBy(IdentityEntity, { accountId });
      assertThat(keepsSignInMethod(auth.account, remaining, this.clock.now()), "LAST_SIGN_IN_METHOD");
      await this.audit.record(manager, accountId, AuditEventType.CONTACT_UNBOUND, meta, { kind });
      await turnOffTwoStepWithoutFactors(manager, this.audit, accountId, meta, this.clock.now());
      return notice;
    });
    sendNotice();
    return { account: await this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId }), kind };
  }

  private async assertKeepsSignInMethod(account: AccountEntity, removing: ContactKind): Promise<void> {
    const others = await this.dataSource.getRepository(IdentityEntity).findBy({ accountId: account.id, kind: Not(removing) });
    assertThat(keepsSignInMethod(account, others, this.clock.now()), "LAST_SIGN_IN_METHOD");
  }
}
