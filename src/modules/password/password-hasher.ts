import { createHmac, randomBytes } from "node:crypto";
import bcrypt from "bcrypt";

/**
 * bcrypt reads at most 72 bytes, so a long password (128 CJK characters are 384 bytes) would be
 * silently cut. Each password is first normalised (NFC, so the same characters typed on different
 * systems match) and reduced with a domain-separated HMAC-SHA-256 to 44 base64 characters.
 */
export function preHash(password: string): string {
  return createHmac("sha256", "account-platform/password/v1").update(password.normalize("NFC"), "utf8").digest("base64");
}

/** bcrypt's async calls run on libuv's thread pool, off the event loop. */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(preHash(password), this.cost);
  }

  /**
   * Checks `password` against `hash`. With no hash (unknown account, or no password set) it still
   * runs one comparison of the same cost against a throw-away hash, so the answer takes as long
   * either way and does not tell whether the account exists.
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    const reduced = preHash(password);
    const padding = hash === null || bcrypt.getRounds(hash) < this.cost ? this.throwAwayHash() : null;
    // A hash made at a lower cost (BCRYPT_COST raised since, not yet replaced at a sign-in) compares
    // faster than the throw-away hash an unknown name meets: one at the current cost runs beside it,
    // so the answer takes as long and does not tell which accounts have not signed in since.
    const [matches] = await Promise.all([
      hash === null ? false : bcrypt.compare(reduced, hash),
      padding && bcrypt.compare(reduced, await padding),
    ]);
    return matches;
  }

  /** True when the hash was made with another cost; it is replaced at the next successful sign-in. */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.cost;
  }

  private throwAwayHash(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(32).toString("base64"), this.cost);
    return this.dummyHash;
  }
}
