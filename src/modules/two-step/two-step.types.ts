import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum VerificationMethod {
  EMAIL = "EMAIL",
  SMS = "SMS",
  TOTP = "TOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
}
registerEnumType(VerificationMethod, { name: "VerificationMethod" });

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  @Field(() => ID)
  challengeId: string;

  @Field(() => [VerificationMethod])
  methods: VerificationMethod[];

  @Field()
  expiresAt: Date;
}
