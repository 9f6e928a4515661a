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
  description: "A way to prove who you are: for two-step sign-in and step-up.",
  valuesConfig: {
    EMAIL: { description: "A code sent to the bound email." },
    SMS: { description: "A code sent by SMS to the bound mobile number." },
    TOTP: { description: "The 6 digits an authenticator app shows." },
    RECOVERY_CODE: { description: "One of the recovery codes given with the authenticator app; each works once." },
    PASSWORD: {
      description: "Re-entering the password: a step-up method only, offered only while the account has no usable second factor.",
    },
  },
});

@ObjectType({ description: "Two-step verification is on: finish sign-in with completeTwoStep." })
export class TwoStepChallenge {
  @Field(() => ID, { description: "Pass to sendTwoStepCode and completeTwoStep." })
  challengeId: string;

  @Field(() => [VerificationMethod], { description: "The second factors the account can use now; the person chooses one." })
  methods: VerificationMethod[];

  @Field({ description: "After this the sign-in has to start again with login." })
  expiresAt: Date;
}
