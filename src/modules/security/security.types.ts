import { Field, Int, ObjectType } from "type-graphql";
import { VerificationMethod } from "../two-step/two-step.types";

@ObjectType()
export class SecuritySettings {
  @Field()
  hasPassword: boolean;

  @Field(() => Date, { nullable: true })
  passwordChangedAt: Date | null;

  @Field()
  totpEnabled: boolean;

  @Field()
  twoStepEnabled: boolean;

  @Field(() => [VerificationMethod], { description: "Second factors this account can use now, e.g. [EMAIL, TOTP, RECOVERY_CODE]." })
  twoStepMethods: VerificationMethod[];

  @Field(() => Int)
  recoveryCodesRemaining: number;
}
