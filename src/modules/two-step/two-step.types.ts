import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IsBoolean } from "../../graphql/constraints";
import { Account } from "../account/account.types";
import { VerificationMethod } from "../factors/vocabulary";

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  // A key, so normalized client caches (Apollo, graphcache) store the login result without a warning.
  @Field(() => ID, { description: "The challenge: pass it as challengeId to sendTwoStepCode and completeTwoStep." })
  id: string;

  @Field(() => ID, { description: "The same as id.", deprecationReason: "Use id." })
  challengeId: string;

  @Field(() => [VerificationMethod], { description: "The second factors the account can use now; the person chooses one." })
  methods: VerificationMethod[];

  @Field({ description: "After this the sign-in has to start again with login." })
  expiresAt: Date;
}

@InputType({ description: "Whether sign-in asks for a second factor after the password." })
export class SetTwoStepVerificationInput {
  @Field({ description: "true turns two-step sign-in on, false off." })
  @IsBoolean()
  enabled: boolean;
}

@ObjectType({ description: "What setTwoStepVerification changed." })
export class SetTwoStepVerificationPayload {
  @Field(() => Account, { description: "The account, whose security.twoStepEnabled is the new setting." })
  account: Account;
}
