import { createHmac, randomInt, randomUUID } from "node:crypto";
import { IsNull, Not, type DataSource, type EntityManager } from "typeorm";
import type { DataCipher } from "../../core/cipher";
import type { Clock } from "../../core/clock";
import type { RateLimiter } from "../../core/rate-limiter";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { RecoveryCodeEntity, TotpCredentialEntity } from "../../entities";
import { matchTotpStep } from "./totp-code";
import { isUsable } from "./usable";

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: easy to copy by hand

/** The context a TOTP secret is sealed under: its own row, so a secret moved to another row won't open. */
export function totpSealContext(credentialId: string): string {
  return `totp:${credentialId}`;
}

/**
 * Checks second factors that are not sent by us: authenticator-app codes (SHA-1, 6 digits, 30 s,
 * one step either side, each step accepted once per account, RFC 6238 §5.2) and single-use
 * recovery codes (kept as HMACs). Both "use up" by conditional updates, so parallel replays of one
 * code succeed at most once. Wrong codes spend a per-account budget: a challenge for a code we do
 * not send costs nothing to open, so its own try limit alone would not stop guessing.
 */
export class SecondFactorVerifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly cipher: DataCipher,
    private readonly recoveryKey: Buffer,
    private readonly failures: RateLimiter,
  ) {}

  openSecret(credential: TotpCredentialEntity): string {
    return this.cipher.open(credential.secretSealed, totpSealContext(credential.id));
  }

  activeCredential(accountId: string): Promise<TotpCredentialEntity | null> {
    return this.dataSource.getRepository(TotpCredentialEntity).findOneBy({ accountId, confirmedAt: Not(IsNull()) });
  }

  /** The active authenticator unless it is still cooling (see factors/usable). */
  async usableCredential(accountId: string): Promise<TotpCredentialEntity | null> {
    const credential = await this.activeCredential(accountId);
    return credential && isUsable(credential, this.clock.now()) ? credential : null;
  }

  /**
   * True once per step: a code of a step already used (or older) is a replay and fails. A cooling
   * authenticator proves nothing, except that its holder may remove it (`includeCooling`).
   */
  verifyTotp(accountId: string, code: string, { includeCooling = false } = {}): Promise<boolean> {
    return this.budgeted(accountId, async () => {
      const credential = includeCooling ? await this.activeCredential(accountId) : await this.usableCredential(accountId);
      const step = credential && /^\d{6}$/.test(code) ? matchTotpStep(this.openSecret(credential), code, this.clock.now()) : null;
      return credential !== null && step !== null && this.claimStep(credential, step);
    });
  }

  /** The step of a code for an enrolment not yet confirmed, or null; wrong codes spend the same budget. */
  async matchPendingStep(credential: TotpCredentialEntity, code: string): Promise<number | null> {
    let step: number | null = null;
    await this.budgeted(credential.accountId, () => {
      step = matchTotpStep(this.openSecret(credential), code, this.clock.now());
      return Promise.resolve(step !== null);
    });
    return step;
  }

  /** Records `step` as used unless it (or a later one) already was. */
  private async claimStep(credential: TotpCredentialEntity, step: number): Promise<boolean> {
    const result = await this.transaction((manager) =>
      namingRows(manager, [credential], () =>
        manager
          .createQueryBuilder()
          .update(TotpCredentialEntity)
          .set({ lastUsedStep: step })
          .where("id = :id AND (last_used_step IS NULL OR last_used_step < :step)", { id: credential.id, step })
          .execute(),
      ),
    );
    return Boolean(result.affected);
  }

  /** Recovery codes cool with the authenticator they came with. */
  verifyRecoveryCode(accountId: string, code: string): Promise<boolean> {
    return this.budgeted(accountId, async () => {
      if (!(await this.usableCredential(accountId))) return false;
      const result = await this.transaction((manager) =>
        namingRows(manager, [{ accountId }], () =>
          manager.update(
            RecoveryCodeEntity,
            { accountId, codeHash: this.hashRecoveryCode(code), usedAt: IsNull() },
            { usedAt: this.clock.now() },
          ),
        ),
      );
      return Boolean(result.affected);
    });
  }

  /**
   * RATE_LIMITED once the account's budget of wrong codes is spent. Each check reserves a point
   * before it runs, so parallel guesses share the budget; a right code clears it.
   */
  private async budgeted(accountId: string, verify: () => boolean | Promise<boolean>): Promise<boolean> {
    await this.failures.consume(accountId);
    const ok = await verify();
    if (ok) await this.failures.reset(accountId);
    return ok;
  }

  /** Replaces every recovery code of the account with fresh ones; returns them, the only time they are seen. */
  async replaceRecoveryCodes(manager: EntityManager, accountId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
      return `${chars.slice(0, 5)}-${chars.slice(5)}`;
    });
    const now = this.clock.now();
    await namingRows(manager, [{ accountId }], () => manager.delete(RecoveryCodeEntity, { accountId }));
    await manager.insert(
      RecoveryCodeEntity,
      codes.map((code) => ({ id: randomUUID(), accountId, codeHash: this.hashRecoveryCode(code), usedAt: null, createdAt: now })),
    );
    return codes;
  }

  /** Case, spaces and the hyphen do not matter when a person types a recovery code back. */
  private hashRecoveryCode(code: string): string {
    return createHmac("sha256", this.recoveryKey).update(code.toLowerCase().replace(/[\s-]/g, "")).digest("hex");
  }
}
