import { Arg, Args, ArgsType, Authorized, Field, ID, Mutation, Resolver } from "type-graphql";
import { IsEnum, IsUUID, Matches } from "class-validator";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AuthPayload } from "../auth/auth.types";
import type { SignedIn } from "../auth/auth.service";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { toChallenge } from "../challenge/to-challenge";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { TwoStepService } from "./two-step.service";
import { SetTwoStepVerificationInput, SetTwoStepVerificationPayload, VerificationMethod } from "./two-step.types";

@ArgsType()
class TwoStepMethodArgs {
  @Field(() => ID)
  @IsUUID("all", { message: "challengeId must be the challengeId that login returned" })
  challengeId: string;

  @Field(() => VerificationMethod)
  @IsEnum(VerificationMethod)
  method: VerificationMethod;
}

@ArgsType()
class CompleteTwoStepArgs extends TwoStepMethodArgs {
  @Field()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;
}

@Resolver()
export class TwoStepResolver {
  constructor(private readonly twoStep: TwoStepService) {}

  @Mutation(() => Challenge, { description: "Sends an EMAIL or SMS code for a two-step sign-in challenge." })
  async sendTwoStepCode(@Args() { challengeId, method }: TwoStepMethodArgs, @Meta() meta: RequestMeta): Promise<Challenge> {
    return toChallenge(await this.twoStep.sendCode(challengeId, method, meta));
  }

  @Mutation(() => AuthPayload, { description: "Finishes a two-step sign-in with a code of the chosen method." })
  completeTwoStep(@Args() { challengeId, method, code }: CompleteTwoStepArgs, @Meta() meta: RequestMeta): Promise<SignedIn> {
    return this.twoStep.complete(challengeId, method, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => SetTwoStepVerificationPayload, {
    description:
      "Turns two-step sign-in on or off. Either way needs a signed-in session with a recent step-up (STEP_UP_REQUIRED); turning it on also needs a usable email, phone or authenticator app (BAD_USER_INPUT).",
  })
  async setTwoStepVerification(
    @Arg("input", { description: "On or off." }) { enabled }: SetTwoStepVerificationInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<SetTwoStepVerificationPayload> {
    return { account: await this.twoStep.set(auth, enabled, meta) };
  }
}
