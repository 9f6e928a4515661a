import { In, IsNull, Not, type EntityManager } from "typeorm";
import { AccountEntity, IdentityEntity, TotpCredentialEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";

/**
 * Called in the transaction that removes a second factor (an email, a phone, the authenticator app).
 * Two-step verification left with none would ask every sign-in for a code the account cannot give,
 * so it turns off, and the security log says why. Recovery codes do not count: they belong to the app.
 */
export async function turnOffTwoStepWithoutFactors(manager: EntityManager, audit: AuditService, accountId: string, meta: RequestMeta): Promise<void> {
  const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
  if (!account.twoStepEnabled) return;
  if (await manager.existsBy(IdentityEntity, { accountId, kind: In(["EMAIL", "PHONE"]) })) return;
  if (await manager.existsBy(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) })) return;
  await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: false });
  await audit.record(manager, accountId, AuditEventType.TWO_STEP_DISABLED, meta, { reason: "no second factor left" });
}
