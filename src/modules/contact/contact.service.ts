import { randomUUID } from "node:crypto";
import { Not, type DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { isUniqueViolation } from "../../db/data-source";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import { AppError, assertThat } from "../../errors";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { TakenAnswers } from "../account/taken-answers";
import type { AuditService } from "../audit/audit.service";
import type { ChallengeService } from "../challenge/challenge.service";
import { coolingUntil } from "../factors/usable";
import type { NoticeService, SendNotice } from "../notice/notice.service";
import type { StepUpService } from "../step-up/step-up.service";
import { turnOffTwoStepWithoutFactors } from "../two-step/second-factors";
import { maskAddress, normalizeAddress } from "./contact-address";
import { type Contact, ContactKind } from "./contact.types";
import { keepsSignInMethod } from "./sign-in-methods";

interface BindPayload {
  kind: ContactKind;
  address: string;
  /** The address this binding replaces, when one was bound at the start. */
  replaces: string | null;
}

const CHANNEL = { [ContactKind.EMAIL]: "EMAIL", [ContactKind.PHONE]: "SMS" } as const;

/** What a client may see of a bound email or phone. */
export function toContact(identity: IdentityEntity, now: Date): Contact {
  const kind = identity.kind as ContactKind;
  return { kind, masked: maskAddress(kind, identity.subject), verifiedAt: identity.verifiedAt, usableFrom: coolingUntil(identity, now) };
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
    if (!address) throw AppError.badInput("address", `address is not a valid ${kind.toLowerCase()}`);
    const identities = this.dataSource.getRepository(IdentityEntity);
    const current = await identities.findOneBy({ accountId: auth.account.id, kind });
    if (current?.subject === address) throw AppError.badInput("address", "this address is already bound to your account");
    await this.stepUp.requireStepUp(auth);
    assertThat(
      !(await this.takenAnswers.isTaken(auth.account.id, meta, () => identities.existsBy({ kind, subject: address }))),
      "IDENTITY_TAKEN",
    );
    const payload: BindPayload = { kind, address, replaces: current?.subject ?? null };
    return this.challenges.issue(
      { purpose: "BIND_CONTACT", accountId: auth.account.id, channel: CHANNEL[kind], target: address, payload: { ...payload } },
      meta,
    );
  }

  async confirmBinding(auth: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    const { newFactorUsableFrom } = await this.stepUp.requireStepUp(auth);
    const challenge = await this.challenges.check(challengeId, code, { purpose: "BIND_CONTACT", accountId }, meta);
    const { kind, address } = this.challenges.payloadOf<BindPayload>(challenge);
    let sendNotice: SendNotice;
    try {
      sendNotice = await this.transaction(async (manager) => {
        await this.challenges.consume(manager, challenge);
        // The world may have changed since the code was sent: re-check the owner of the address.
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, subject: address, accountId: Not(accountId) })), "IDENTITY_TAKEN");
        const replaced = await manager.findOneBy(IdentityEntity, { accountId, kind });
        const notice = await this.notices.wayInChanged(manager, accountId, replaced ? "CONTACT_REPLACED" : "CONTACT_BOUND", {
          kind,
          address,
        });
        if (replaced) {
          await manager.delete(IdentityEntity, { id: replaced.id });
          await this.challenges.retireSentTo(manager, accountId, replaced.subject);
        }
        const now = this.clock.now();
        await manager.insert(IdentityEntity, {
          id: randomUUID(),
          accountId,
          kind,
          subject: address,
          verifiedAt: now,
          profile: null,
          usableFrom: newFactorUsableFrom,
          createdAt: now,
        });
        await this.audit.record(manager, accountId, replaced ? AuditEventType.CONTACT_REPLACED : AuditEventType.CONTACT_BOUND, meta, {
          kind,
          ...(newFactorUsableFrom ? { usableFrom: newFactorUsableFrom.toISOString() } : {}),
        });
        return notice;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("IDENTITY_TAKEN");
      throw error;
    }
    sendNotice();
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  /** Sends a code to the bound address; needs a recent step-up. */
  async startUnbinding(auth: Authenticated, kind: ContactKind, meta: RequestMeta): Promise<ChallengeEntity> {
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ accountId: auth.account.id, kind });
    if (!identity) throw AppError.badInput("kind", `no ${kind.toLowerCase()} is bound to this account`);
    await this.stepUp.requireStepUp(auth);
    await this.assertKeepsSignInMethod(auth.account, kind);
    return this.challenges.issue(
      { purpose: "UNBIND_CONTACT", accountId: auth.account.id, channel: CHANNEL[kind], target: identity.subject, payload: { kind } },
      meta,
    );
  }

  async confirmUnbinding(auth: Authenticated, challengeId: string, code: string, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    await this.stepUp.requireStepUp(auth);
    const challenge = await this.challenges.check(challengeId, code, { purpose: "UNBIND_CONTACT", accountId }, meta);
    const { kind } = this.challenges.payloadOf<{ kind: ContactKind }>(challenge);
    const sendNotice = await this.transaction(async (manager) => {
      await this.challenges.consume(manager, challenge);
      const notice = await this.notices.wayInChanged(manager, accountId, "CONTACT_UNBOUND");
      const removed = await manager.delete(IdentityEntity, { accountId, kind, subject: challenge.target });
      // Replaced or removed meanwhile: this code was for an address that is no longer bound.
      assertThat(removed.affected, "CODE_INVALID");
      await this.challenges.retireSentTo(manager, accountId, challenge.target);
      const remaining = await manager.findBy(IdentityEntity, { accountId });
      assertThat(keepsSignInMethod(auth.account, remaining), "LAST_SIGN_IN_METHOD");
      await this.audit.record(manager, accountId, AuditEventType.CONTACT_UNBOUND, meta, { kind });
      await turnOffTwoStepWithoutFactors(manager, this.audit, accountId, meta, this.clock.now());
      return notice;
    });
    sendNotice();
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  private async assertKeepsSignInMethod(account: AccountEntity, removing: ContactKind): Promise<void> {
    const others = await this.dataSource.getRepository(IdentityEntity).findBy({ accountId: account.id, kind: Not(removing) });
    assertThat(keepsSignInMethod(account, others), "LAST_SIGN_IN_METHOD");
  }
}
