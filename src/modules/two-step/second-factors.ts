import { In, IsNull, Not, type EntityManager } from "typeorm";
import { AccountEntity, IdentityEntity, TotpCredentialEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";

/**
 * Whether the account has a second factor that two-step sign-in can rest on: an email, a phone or
 * the authenticator app. Recovery codes do not count: they belong to the app.
 */
export async function hasSecondFactor(manager: EntityManager, accountId: string): Promise<boolean> {
  return (await manager.existsBy(IdentityEntity, { accountId, kind: In(["EMAIL", "PHONE"]) }))
    || manager.existsBy(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) });
}

/**
 * Called in the transaction that removes a second factor (an email, a phone, the authenticator app).
 * Two-step verification left with none would ask every sign-in for a code the account cannot give,
 * so it turns off, and the security log says why.
 */
export async function turnOffTwoStepWithoutFactors(manager: EntityManager, audit: AuditService, accountId: string, meta: RequestMeta): Promise<void> {
  const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
  if (!account.twoStepEnabled || (await hasSecondFactor(manager, accountId))) return;
  await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: false });
  await audit.record(manager, accountId, AuditEventType.TWO_STEP_DISABLED, meta, { reason: "no second factor left" });
}
