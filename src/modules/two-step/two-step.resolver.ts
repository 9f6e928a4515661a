import { Arg, Args, ArgsType, Authorized, Field, ID, Mutation, Resolver } from "type-graphql";
import { IsEnum, IsUUID, Matches } from "class-validator";
import type { AccountEntity } from "../../entities";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { Account } from "../account/account.types";
import { AuthPayload } from "../auth/auth.types";
import { SignInService, type SignedIn } from "../sign-in/sign-in.service";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { toChallenge } from "../challenge/to-challenge";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { TwoStepService } from "./two-step.service";
import { VerificationMethod } from "../factors/vocabulary";

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
  constructor(
    private readonly twoStep: TwoStepService,
    private readonly signIn: SignInService,
  ) {}

  @Mutation(() => Challenge, { description: "Sends an EMAIL or SMS code for a two-step sign-in challenge." })
  async sendTwoStepCode(@Args() { challengeId, method }: TwoStepMethodArgs, @Meta() meta: RequestMeta): Promise<Challenge> {
    return toChallenge(await this.signIn.sendTwoStepCode(challengeId, method, meta));
  }

  @Mutation(() => AuthPayload, { description: "Finishes a two-step sign-in with a code of the chosen method." })
  completeTwoStep(@Args() { challengeId, method, code }: CompleteTwoStepArgs, @Meta() meta: RequestMeta): Promise<SignedIn> {
    return this.signIn.completeTwoStep(challengeId, method, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account, {
    description: "Either way needs a recent step-up; turning it on also needs a usable email, phone or authenticator app.",
  })
  setTwoStepVerification(
    @Arg("enabled") enabled: boolean,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.twoStep.set(auth, enabled, meta);
  }
}
