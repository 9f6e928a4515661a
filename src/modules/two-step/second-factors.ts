import { In, IsNull, Not, type EntityManager } from "typeorm";
import { AccountEntity, IdentityEntity, RecoveryCodeEntity, TotpCredentialEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { isUsable } from "../factors/usable";
import { VerificationMethod } from "./two-step.types";

/**
 * The second factors the account can prove now, in the order a client should offer them. Cooling
 * factors are left out, and recovery codes go with the authenticator they were issued with.
 */
export async function usableSecondFactors(manager: EntityManager, accountId: string, now: Date): Promise<VerificationMethod[]> {
  const [contacts, totp, recoveryCodes] = await Promise.all([
    manager.findBy(IdentityEntity, { accountId, kind: In(["EMAIL", "PHONE"]) }),
    manager.findOneBy(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) }),
    manager.countBy(RecoveryCodeEntity, { accountId, usedAt: IsNull() }),
  ]);
  const usable = contacts.filter((contact) => isUsable(contact, now));
  const totpUsable = totp !== null && isUsable(totp, now);
  return [
    ...(usable.some((c) => c.kind === "EMAIL") ? [VerificationMethod.EMAIL] : []),
    ...(usable.some((c) => c.kind === "PHONE") ? [VerificationMethod.SMS] : []),
    ...(totpUsable ? [VerificationMethod.TOTP] : []),
    ...(totpUsable && recoveryCodes > 0 ? [VerificationMethod.RECOVERY_CODE] : []),
  ];
}

/**
 * Whether the account has a usable second factor that two-step sign-in can rest on: an email, a
 * phone or the authenticator app. Recovery codes do not count: they belong to the app.
 */
export async function hasSecondFactor(manager: EntityManager, accountId: string, now: Date): Promise<boolean> {
  return (await usableSecondFactors(manager, accountId, now)).some((method) => method !== VerificationMethod.RECOVERY_CODE);
}

/**
 * Called in the transaction that removes a second factor (an email, a phone, the authenticator app).
 * Two-step verification left with none would ask every sign-in for a code the account cannot give,
 * so it turns off, and the security log says why.
 */
export async function turnOffTwoStepWithoutFactors(manager: EntityManager, audit: AuditService, accountId: string, meta: RequestMeta, now: Date): Promise<void> {
  const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
  if (!account.twoStepEnabled || (await hasSecondFactor(manager, accountId, now))) return;
  await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: false });
  await audit.record(manager, accountId, AuditEventType.TWO_STEP_DISABLED, meta, { reason: "no second factor left" });
}
