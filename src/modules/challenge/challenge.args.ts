import { ArgsType, Field, ID } from "type-graphql";
import { IsUUID, Matches } from "class-validator";
import { CODE_MESSAGE, CODE_PATTERN } from "./code-format";

/** `(challengeId: ID!, code: String!)`: the second half of every send-a-code workflow. */
@ArgsType()
export class ConfirmChallengeArgs {
  @Field(() => ID)
  @IsUUID("all", { message: "challengeId must be the id of a challenge this API returned" })
  challengeId: string;

  @Field()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;
}
