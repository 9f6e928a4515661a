import { Arg, Args, ArgsType, Authorized, Extensions, Field, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { IsOptional, IsUUID, Matches, MaxLength } from "class-validator";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AppError } from "../../errors";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { toChallenge } from "../challenge/to-challenge";
import { PASSWORD_MAX_LENGTH } from "../password/password-policy";
import { VerificationMethod } from "../two-step/two-step.types";
import { FIELD_COST } from "../../graphql/query-limits";
import { SecuritySettings } from "../security/security.types";
import { SensitiveAction } from "./sensitive-action";
import { StepUpService, type StepUpHints } from "./step-up.service";

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
    if (!proof || (code && password)) throw AppError.badInput("code", "give the code, or the password for a PASSWORD step-up");
    await this.stepUp.complete(auth, challengeId, proof, meta);
    return true;
  }
}

/** The step-up hints on security: one read of the session serves both fields of one `security` answer. */
@Resolver(() => SecuritySettings)
export class StepUpHintsResolver {
  private readonly read = new WeakMap<SecuritySettings, Promise<StepUpHints>>();

  constructor(private readonly stepUp: StepUpService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "Until when this session may make the changes that ask for a step-up without asking again (STEP_UP_TTL_SECONDS after completeStepUp); null when no step-up is in force, and for an API key. stepUpRequiredFor changes then: read it again at this time.",
  })
  stepUpValidUntil(@Root() security: SecuritySettings, @CurrentAuth() auth: Authenticated): Promise<Date | null> {
    return this.hints(security, auth).then((hints) => hints.validUntil);
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [SensitiveAction], {
    description:
      "The actions that would answer STEP_UP_REQUIRED for this session now, by the server's own rule: show it before the click and step up first. Empty while a step-up is in force (see stepUpValidUntil) or when the account has nothing to step up with (what it adds then cools, see NEW_FACTOR_COOLDOWN_SECONDS); CHANGE_PASSWORD is left out while the password is the only step-up method (the current password it takes is the proof). Every action for an API key.",
  })
  stepUpRequiredFor(@Root() security: SecuritySettings, @CurrentAuth() auth: Authenticated): Promise<SensitiveAction[]> {
    return this.hints(security, auth).then((hints) => hints.requiredFor);
  }

  private hints(security: SecuritySettings, auth: Authenticated): Promise<StepUpHints> {
    let hints = this.read.get(security);
    if (!hints) {
      hints = this.stepUp.hints(auth, security.stepUpMethods);
      this.read.set(security, hints);
    }
    return hints;
  }
}
