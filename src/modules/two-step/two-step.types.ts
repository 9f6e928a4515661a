import { Field, ID, ObjectType } from "type-graphql";
import { VerificationMethod } from "../factors/vocabulary";

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  @Field(() => ID, { description: "Pass to sendTwoStepCode and completeTwoStep." })
  challengeId: string;

  @Field(() => [VerificationMethod], { description: "The second factors the account can use now; the person chooses one." })
  methods: VerificationMethod[];

  @Field({ description: "After this the sign-in has to start again with login." })
  expiresAt: Date;
}
