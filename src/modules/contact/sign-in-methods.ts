import type { AccountEntity, IdentityEntity } from "../../entities";
import { isUsable } from "../factors/usable";

/**
 * An account must keep a way in: a password (with its username, email or phone as the sign-in name)
 * or a bound identity it can sign in or recover with now. A cooling one does not count: else a stolen
 * session on an account with nothing to step up with could bind its own provider account or address
 * and remove the owner's, and own the account once the cool-down ends.
 */
export function keepsSignInMethod(
  account: Pick<AccountEntity, "passwordHash">,
  remaining: readonly Pick<IdentityEntity, "kind" | "usableFrom">[],
  now: Date,
): boolean {
  return account.passwordHash !== null || remaining.some((identity) => isUsable(identity, now));
}
