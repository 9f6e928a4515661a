import { Field, ID, ObjectType } from "type-graphql";
import { VerificationMethod } from "../factors/vocabulary";

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  @Field(() => ID)
  challengeId: string;

  @Field(() => [VerificationMethod])
  methods: VerificationMethod[];

  @Field()
  expiresAt: Date;
}
