import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IsEnum, IsOptional, IsUUID, Matches, MaxLength } from "../../graphql/constraints";
import { Account } from "../account/account.types";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { PASSWORD_MAX_LENGTH } from "../password/password-policy";
import { VerificationMethod } from "../factors/vocabulary";

@InputType({ description: "Which factor to step up with." })
export class RequestStepUpInput {
  @Field(() => VerificationMethod, { description: "One of security.stepUpMethods (BAD_USER_INPUT otherwise)." })
  @IsEnum(VerificationMethod)
  method: VerificationMethod;
}

@ObjectType({ description: "What requestStepUp returns." })
export class RequestStepUpPayload {
  @Field(() => Challenge, { description: "The challenge to answer with completeStepUp: a code was sent (EMAIL, SMS) or is expected." })
  challenge: Challenge;
}

/** A code, or for a PASSWORD challenge the password: a password cannot pass the code's pattern. */
@InputType({ description: "The answer to a step-up challenge: code, or password for a PASSWORD challenge (not both)." })
export class CompleteStepUpInput {
  @Field(() => ID, { description: "The id of the challenge requestStepUp returned." })
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

@ObjectType({ description: "What completeStepUp returns." })
export class CompleteStepUpPayload {
  @Field(() => Account, {
    description: "The account, whose changes that need a step-up this session may now make for STEP_UP_TTL_SECONDS.",
  })
  account: Account;

  @Field(() => String, {
    description:
      "The session's new bearer token, to send from now on: the step-up belongs to it alone, and the token the request carried no longer works (a copy of it taken earlier gains nothing).",
  })
  token: string;
}
