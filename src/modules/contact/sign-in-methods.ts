import type { AccountEntity, IdentityEntity } from "../../entities";

/**
 * An account must keep a way in: a password (with its username, email or phone as the sign-in name)
 * or a bound identity it can sign in or recover with.
 */
export function keepsSignInMethod(
  account: Pick<AccountEntity, "passwordHash">,
  remaining: readonly Pick<IdentityEntity, "kind">[],
): boolean {
  return account.passwordHash !== null || remaining.length > 0;
}
