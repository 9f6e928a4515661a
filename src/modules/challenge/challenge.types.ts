import { Field, ID, ObjectType } from "type-graphql";
import { VerificationMethod } from "../factors/vocabulary";

@ObjectType({ description: "A code was sent (EMAIL/SMS) or is expected (TOTP/RECOVERY_CODE), or the password is (PASSWORD step-up)." })
export class Challenge {
  @Field(() => ID, { description: "Pass as challengeId to the mutation that checks the code." })
  id: string;

  @Field(() => VerificationMethod, { description: "The way the code comes (or, for PASSWORD, that the password is asked)." })
  method: VerificationMethod;

  @Field(() => String, { nullable: true, description: "Where the code went, masked: a***@example.com, +86 138****5678." })
  maskedTarget: string | null;

  @Field({ description: "After this the code no longer works (CODE_EXPIRED): request a new one." })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: "When a new code may be requested." })
  resendAvailableAt: Date | null;
}
