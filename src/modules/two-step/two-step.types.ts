import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

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
