import type { RateLimiter } from "../../core/rate-limiter";
import type { AccountEntity } from "../../entities";
import type { PasswordHasher } from "./password-hasher";

/**
 * Checks a password a signed-in person re-enters (changePassword, a PASSWORD step-up). Every try
 * reserves a point of the account's RATE_LIMIT_PASSWORD_ACCOUNT budget before the check, so parallel
 * guesses share it, and the right password clears it; this is the one place that does.
 */
export class PasswordVerifier {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly failures: RateLimiter,
  ) {}

  async verify(account: Pick<AccountEntity, "id" | "passwordHash">, password: string): Promise<boolean> {
    await this.failures.consume(account.id);
    const ok = await this.hasher.verify(password, account.passwordHash);
    if (ok) await this.failures.reset(account.id);
    return ok;
  }
}
