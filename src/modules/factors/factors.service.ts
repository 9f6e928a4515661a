import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import type { ChallengeExpectation, ChallengeService } from "../challenge/challenge.service";
import type { PasswordVerifier } from "../password/password-verifier";
import type { SecondFactorVerifier } from "./second-factor-verifier";
import { FACTORS, readSecondFactors, stepUpMethods, usableMethods, type FactorChecks } from "./second-factors";
import { isUsable } from "./usable";
import { contactKindOf, type SentMethod, type VerificationMethod } from "./vocabulary";

/** The challenges a factor answers. */
export type ProofPurpose = "STEP_UP" | "TWO_STEP";

/**
 * The factors a challenge can be answered with (FACTORS): where a code for one is sent, and the one
 * check of a proof that step-up and two-step sign-in share.
 */
export class FactorsService {
  private readonly checks: FactorChecks;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly challenges: ChallengeService,
    local: SecondFactorVerifier,
    passwords: PasswordVerifier,
  ) {
    this.checks = {
      sentCodeMatches: (challenge, method, code) => challenges.sentCodeMatches(challenge, method, code),
      local,
      passwords,
      account: (id) => dataSource.getRepository(AccountEntity).findOneBy({ id }),
    };
  }

  /**
   * What a challenge of `purpose` can be answered with now: two-step sign-in takes the usable second
   * factors; step-up those, or else the password.
   */
  async available(purpose: ProofPurpose, account: Pick<AccountEntity, "id" | "passwordHash">): Promise<VerificationMethod[]> {
    const methods = usableMethods(await readSecondFactors(this.dataSource.manager, account.id), this.clock.now());
    return purpose === "STEP_UP" ? stepUpMethods(methods, account) : methods;
  }

  /** The bound address a code of `method` goes to, or null when there is none or it is still cooling. */
  async addressFor(accountId: string, method: SentMethod): Promise<string | null> {
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ accountId, kind: contactKindOf(method) });
    return identity && isUsable(identity, this.clock.now()) ? identity.subject : null;
  }

  /**
   * Checks `proof` on the challenge, as a proof of `method` when the person picks it at the end
   * (two-step), else of the method the challenge was opened for (step-up). Counts the try like
   * ChallengeService.check, and like it leaves the using up to the caller's transaction.
   */
  prove(
    challengeId: string,
    proof: string,
    expected: ChallengeExpectation & { readonly purpose: ProofPurpose; readonly method?: VerificationMethod },
    meta: RequestMeta,
  ): Promise<ChallengeEntity> {
    return this.challenges.checkProof(challengeId, expected, meta, async (challenge) => {
      const method = expected.method ?? challenge.channel;
      const factor = FACTORS.find((candidate) => candidate.method === method);
      const owner = challenge.accountId ? await this.checks.account(challenge.accountId) : null;
      if (!factor || !owner) return false;
      // Offered when the challenge began is not enough: a PASSWORD challenge must not outlive the
      // account's gaining a second factor, nor any method its factor's removal or cooling. A method
      // not available is a wrong proof, like one the account never had.
      if (!(await this.available(expected.purpose, owner)).includes(factor.method)) return false;
      return factor.verify(this.checks, challenge, proof);
    });
  }
}
