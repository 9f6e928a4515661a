import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { AccountEntity, IdentityEntity, type ChallengeEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import type { ChallengeExpectation, ChallengeService } from "../challenge/challenge.service";
import type { PasswordVerifier } from "../password/password-verifier";
import type { SecondFactorVerifier } from "./second-factor-verifier";
import { FACTORS, type FactorChecks } from "./second-factors";
import { isUsable } from "./usable";
import { contactKindOf, type SentMethod, type VerificationMethod } from "./vocabulary";

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
    expected: ChallengeExpectation & { readonly method?: VerificationMethod },
    meta: RequestMeta,
  ): Promise<ChallengeEntity> {
    return this.challenges.checkProof(challengeId, expected, meta, (challenge) => {
      const method = expected.method ?? challenge.channel;
      const factor = FACTORS.find((candidate) => candidate.method === method);
      return factor ? factor.verify(this.checks, challenge, proof) : Promise.resolve(false);
    });
  }
}
