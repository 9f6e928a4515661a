import { In, IsNull, Not, type EntityManager } from "typeorm";
import { AccountEntity, IdentityEntity, RecoveryCodeEntity, TotpCredentialEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { isUsable } from "../factors/usable";
import { VerificationMethod } from "./two-step.types";

/** The account's second factors as stored, read once: its contacts, its authenticator, its unused recovery codes. */
export interface SecondFactorRows {
  readonly contacts: IdentityEntity[];
  readonly totp: TotpCredentialEntity | null;
  readonly recoveryCodesRemaining: number;
}

export async function readSecondFactors(manager: EntityManager, accountId: string): Promise<SecondFactorRows> {
  const [contacts, authenticator] = await Promise.all([
    manager.findBy(IdentityEntity, { accountId, kind: In(["EMAIL", "PHONE"]) }),
    readAuthenticator(manager, accountId),
  ]);
  return { contacts, ...authenticator };
}

/** The second factors besides the contacts: for a reader that has the account's identities already. */
export async function readAuthenticator(manager: EntityManager, accountId: string): Promise<Omit<SecondFactorRows, "contacts">> {
  const [totp, recoveryCodesRemaining] = await Promise.all([
    manager.findOneBy(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) }),
    manager.countBy(RecoveryCodeEntity, { accountId, usedAt: IsNull() }),
  ]);
  return { totp, recoveryCodesRemaining };
}

/**
 * The second factors the account can prove now, in the order a client should offer them. Cooling
 * factors are left out, and recovery codes go with the authenticator they were issued with.
 */
export function usableMethods({ contacts, totp, recoveryCodesRemaining }: SecondFactorRows, now: Date): VerificationMethod[] {
  const usable = contacts.filter((contact) => isUsable(contact, now));
  const totpUsable = totp !== null && isUsable(totp, now);
  return [
    ...(usable.some((c) => c.kind === "EMAIL") ? [VerificationMethod.EMAIL] : []),
    ...(usable.some((c) => c.kind === "PHONE") ? [VerificationMethod.SMS] : []),
    ...(totpUsable ? [VerificationMethod.TOTP] : []),
    ...(totpUsable && recoveryCodesRemaining > 0 ? [VerificationMethod.RECOVERY_CODE] : []),
  ];
}

export async function usableSecondFactors(manager: EntityManager, accountId: string, now: Date): Promise<VerificationMethod[]> {
  return usableMethods(await readSecondFactors(manager, accountId), now);
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
export async function turnOffTwoStepWithoutFactors(
  manager: EntityManager,
  audit: AuditService,
  accountId: string,
  meta: RequestMeta,
  now: Date,
): Promise<void> {
  const account = await manager.findOneByOrFail(AccountEntity, { id: accountId });
  if (!account.twoStepEnabled || (await hasSecondFactor(manager, accountId, now))) return;
  await manager.update(AccountEntity, { id: accountId }, { twoStepEnabled: false });
  await audit.record(manager, accountId, AuditEventType.TWO_STEP_DISABLED, meta, { reason: "no second factor left" });
}
