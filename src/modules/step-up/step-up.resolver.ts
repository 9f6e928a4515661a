import { Arg, Args, ArgsType, Authorized, Field, ID, Mutation, Resolver } from "type-graphql";
import { IsOptional, IsUUID, Matches, MaxLength } from "class-validator";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AppError } from "../../errors";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { toChallenge } from "../challenge/to-challenge";
import { PASSWORD_MAX_LENGTH } from "../password/password-policy";
import { VerificationMethod } from "../factors/vocabulary";
import { StepUpService } from "./step-up.service";

/** A code, or for a PASSWORD challenge the password: a password cannot pass the code's pattern. */
@ArgsType()
class CompleteStepUpArgs {
  @Field(() => ID)
  @IsUUID("all", { message: "challengeId must be the id that requestStepUp returned" })
  challengeId: string;

  @Field(() => String, { nullable: true, description: "The code, for every method but PASSWORD." })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string | null;

  @Field(() => String, { nullable: true, description: "The account's password, for a PASSWORD challenge." })
  @IsOptional()
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "password is too long" })
  password?: string | null;
}

@Resolver()
export class StepUpResolver {
  constructor(private readonly stepUp: StepUpService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => Challenge, {
    description:
      "Step-up: prove a factor on this session before changing a way in. PASSWORD only while the account has no usable second factor (security.stepUpMethods).",
  })
  async requestStepUp(
    @Arg("method", () => VerificationMethod) method: VerificationMethod,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<Challenge> {
    return toChallenge(await this.stepUp.request(auth, method, meta));
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Boolean, {
    description: "Marks this session as verified for a few minutes (STEP_UP_TTL_SECONDS). Give code, or password for a PASSWORD challenge.",
  })
  async completeStepUp(
    @Args() { challengeId, code, password }: CompleteStepUpArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<boolean> {
    const proof = code ?? password;
    if (!proof || (code && password))
      throw AppError.badInput("code", "EXACTLY_ONE_OF", "give the code, or the password for a PASSWORD step-up", {
        fields: ["code", "password"],
      });
    await this.stepUp.complete(auth, challengeId, proof, meta);
    return true;
  }
}
