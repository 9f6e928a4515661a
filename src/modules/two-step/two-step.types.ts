import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { IsBoolean } from "class-validator";
import { Account } from "../account/account.types";

export enum VerificationMethod {
  EMAIL = "EMAIL",
  SMS = "SMS",
  TOTP = "TOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
  /** Step-up only, and only on an account with no usable second factor. */
  PASSWORD = "PASSWORD",
}
registerEnumType(VerificationMethod, {
  name: "VerificationMethod",
  valuesConfig: {
    PASSWORD: {
      description: "Re-entering the password: a step-up method only, offered only while the account has no usable second factor.",
    },
  },
});

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  @Field(() => ID)
  challengeId: string;

  @Field(() => [VerificationMethod])
  methods: VerificationMethod[];

  @Field()
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
