import { In, IsNull, Not, type EntityManager } from "typeorm";
import { IdentityEntity, RecoveryCodeEntity, TotpCredentialEntity, type AccountEntity, type ChallengeEntity } from "../../entities";
import { ContactKind } from "../contact/contact.types";
import type { PasswordVerifier } from "../password/password-verifier";
import type { SecondFactorVerifier } from "./second-factor-verifier";
import { isUsable } from "./usable";
import { contactKindOf, VerificationMethod, type SentMethod } from "./vocabulary";

/** The account's second factors as stored, read once: its contacts, its authenticator, its unused recovery codes. */
export interface SecondFactorRows {
  readonly contacts: IdentityEntity[];
  readonly totp: TotpCredentialEntity | null;
  readonly recoveryCodesRemaining: number;
}

// One read after another: the manager is often a transaction's, one PostgreSQL connection, and pg
// deprecates (pg 9 removes) a query sent on a connection still running one.
export async function readSecondFactors(manager: EntityManager, accountId: string): Promise<SecondFactorRows> {
  const contacts = await manager.findBy(IdentityEntity, { accountId, kind: In(Object.values(ContactKind)) });
  return { contacts, ...(await readAuthenticator(manager, accountId)) };
}

/** The second factors besides the contacts: for a reader that has the account's identities already. */
export async function readAuthenticator(manager: EntityManager, accountId: string): Promise<Omit<SecondFactorRows, "contacts">> {
  const totp = await manager.findOneBy(TotpCredentialEntity, { accountId, confirmedAt: Not(IsNull()) });
  return { totp, recoveryCodesRemaining: await manager.countBy(RecoveryCodeEntity, { accountId, usedAt: IsNull() }) };
}

/** What a factor's check may use. */
export interface FactorChecks {
  /** The HMAC comparison of a code this server sent. */
  readonly sentCodeMatches: (challenge: ChallengeEntity, method: SentMethod, code: string) => boolean;
  /** Authenticator codes and recovery codes: checked locally, each usable once, on a per-account budget. */
  readonly local: SecondFactorVerifier;
  readonly passwords: PasswordVerifier;
  readonly account: (accountId: string) => Promise<AccountEntity | null>;
}

/**
 * One way to prove who you are on a challenge: whether the account can offer it now, and how a
 * proof of it is checked. Step-up and two-step both go through this list, so a new way (a passkey)
 * is one more entry here, with the rows it needs in SecondFactorRows.
 */
export interface Factor {
  readonly method: VerificationMethod;
  /** Whether the account can prove it now as a second factor: cooling factors cannot (see usable.ts). */
  usable(rows: SecondFactorRows, now: Date): boolean;
  /** Whether two-step sign-in can rest on it alone. Recovery codes cannot: they belong to the authenticator. */
  readonly carriesTwoStep: boolean;
  /** Checks `proof` on a challenge opened for this method, or (two-step) answered with it. */
  verify(checks: FactorChecks, challenge: ChallengeEntity, proof: string): Promise<boolean>;
}

/** An EMAIL or SMS code: sent by us to a bound address of the matching kind. */
function sentCode(method: SentMethod): Factor {
  return {
    method,
    usable: ({ contacts }, now) => contacts.some((contact) => contact.kind === contactKindOf(method) && isUsable(contact, now)),
    carriesTwoStep: true,
    verify: (checks, challenge, code) => Promise.resolve(checks.sentCodeMatches(challenge, method, code)),
  };
}

const totpUsable = ({ totp }: SecondFactorRows, now: Date) => totp !== null && isUsable(totp, now);

/** In the order a client should offer them. */
export const FACTORS: readonly Factor[] = [
  sentCode(VerificationMethod.EMAIL),
  sentCode(VerificationMethod.SMS),
  {
    method: VerificationMethod.TOTP,
    usable: totpUsable,
    carriesTwoStep: true,
    verify: async ({ local }, challenge, code) => challenge.accountId !== null && (await local.verifyTotp(challenge.accountId, code)),
  },
  {
    method: VerificationMethod.RECOVERY_CODE,
    // Recovery codes go with the authenticator they were issued with, cooling included.
    usable: (rows, now) => totpUsable(rows, now) && rows.recoveryCodesRemaining > 0,
    carriesTwoStep: false,
    verify: async ({ local }, challenge, code) =>
      challenge.accountId !== null && (await local.verifyRecoveryCode(challenge.accountId, code)),
  },
  {
    // The first factor: a step-up falls back on it (step-up/stepUpMethods); never a second factor.
    method: VerificationMethod.PASSWORD,
    usable: () => false,
    carriesTwoStep: false,
    verify: async ({ passwords, account }, challenge, password) => {
      const owner = challenge.accountId ? await account(challenge.accountId) : null;
      return owner !== null && passwords.verify(owner, password);
    },
  },
];

/** The second factors the account can prove now, in the order a client should offer them. */
export function usableMethods(rows: SecondFactorRows, now: Date): VerificationMethod[] {
  return FACTORS.filter((factor) => factor.usable(rows, now)).map((factor) => factor.method);
}

/** What an account can step up with: its usable second factors, or else its password. */
export function stepUpMethods(secondFactors: VerificationMethod[], account: Pick<AccountEntity, "passwordHash">): VerificationMethod[] {
  return secondFactors.length === 0 && account.passwordHash !== null ? [VerificationMethod.PASSWORD] : secondFactors;
}

/** Whether the account has a usable second factor that two-step sign-in can rest on: an email, a phone or the authenticator app. */
export async function hasSecondFactor(manager: EntityManager, accountId: string, now: Date): Promise<boolean> {
  const rows = await readSecondFactors(manager, accountId);
  return FACTORS.some((factor) => factor.carriesTwoStep && factor.usable(rows, now));
}
