import { Arg, Args, Authorized, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { ConfirmChallengeArgs } from "../challenge/challenge.args";
import { Challenge } from "../challenge/challenge.types";
import { toChallenge } from "../challenge/to-challenge";
import { VerificationMethod } from "../two-step/two-step.types";
import { StepUpService } from "./step-up.service";

@Resolver()
export class StepUpResolver {
  constructor(private readonly stepUp: StepUpService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => Challenge, { description: "Step-up: prove a second factor on this session before a sensitive change." })
  async requestStepUp(
    @Arg("method", () => VerificationMethod) method: VerificationMethod,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<Challenge> {
    return toChallenge(await this.stepUp.request(auth, method, meta));
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Boolean, { description: "Marks this session as verified for a few minutes (STEP_UP_TTL_SECONDS)." })
  async completeStepUp(@Args() { challengeId, code }: ConfirmChallengeArgs, @CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<boolean> {
    await this.stepUp.complete(auth, challengeId, code, meta);
    return true;
  }
}
