import type { EntityManager } from "typeorm";
import { namingRows } from "../../db/lookup-cache";
import { AccountEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { hasSecondFactor } from "../factors/second-factors";

/**
 * Called in the transaction that removes a second factor (an email, a phone, the authenticator app).
 * Two-step verification left with none would ask every sign-in for a code the account cannot give,
 * so it turns off, and the security log says why.
 */
export async function turnOffTwoStepWithoutFactors(
  manager: EntityManager,
  audit: AuditService,
  accountId: string,
  meta: RequestMeta,
  now: Date,
): Promise<void> {
  const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
  if (!account.twoStepEnabled || (await hasSecondFactor(manager, accountId, now))) return;
  await namingRows(manager, [{ accountId }], () => manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: false }));
  await audit.record(manager, accountId, AuditEventType.TWO_STEP_DISABLED, meta, { reason: "no second factor left" });
}
