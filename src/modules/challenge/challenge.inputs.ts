import { Field, ID, InputType } from "type-graphql";
import { IsUUID, Matches } from "../../graphql/constraints";
import { CODE_MESSAGE, CODE_PATTERN } from "./code-format";

/** `{ challengeId, code }`: the second half of every send-a-code workflow. */
@InputType()
export class ConfirmChallengeInput {
  @Field(() => ID, { description: "The id of the Challenge the first half returned." })
  @IsUUID("all", { message: "challengeId must be the id of a challenge this API returned" })
  challengeId: string;

  @Field({ description: "The code that was sent." })
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;
}
