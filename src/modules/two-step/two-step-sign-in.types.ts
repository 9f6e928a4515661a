import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IsEnum, IsUUID, Matches } from "../../graphql/constraints";
import { AuthPayload } from "../auth/auth.types";
import { Challenge } from "../challenge/challenge.types";
import { CODE_MESSAGE, CODE_PATTERN } from "../challenge/code-format";
import { VerificationMethod } from "../factors/vocabulary";

// Apart from two-step.types, which auth.types imports for LoginResult: CompleteTwoStepPayload extends AuthPayload.

@InputType({ description: "Which method of a two-step sign-in challenge to send a code by." })
export class SendTwoStepCodeInput {
  @Field(() => ID, { description: "The challengeId of the TwoStepChallenge that login or loginWithProvider returned." })
  @IsUUID("all", { message: "challengeId must be the challengeId that login returned" })
  challengeId: string;

  @Field(() => VerificationMethod, { description: "One of the challenge's methods; sendTwoStepCode sends only EMAIL and SMS codes." })
  @IsEnum(VerificationMethod)
  method: VerificationMethod;
}

@ObjectType({ description: "What sendTwoStepCode returns." })
export class SendTwoStepCodePayload {
  @Field(() => Challenge, { description: "Where the code went and when another may be sent." })
  challenge: Challenge;
}

@InputType({ description: "The code that finishes a two-step sign-in." })
export class CompleteTwoStepInput extends SendTwoStepCodeInput {
  @Field({ description: "The code sent (EMAIL, SMS), shown by the authenticator app (TOTP), or a recovery code (RECOVERY_CODE)." })
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;
}

@ObjectType({ description: "What completeTwoStep returns: the session the sign-in was waiting for." })
export class CompleteTwoStepPayload extends AuthPayload {}
