import { Field, ID, Int, ObjectType } from "type-graphql";
import { VerificationMethod } from "../two-step/two-step.types";

@ObjectType()
export class SecuritySettings {
  @Field(() => ID, { description: "`<account id>:security`: one per account, the same in every query." })
  id: string;

  @Field()
  hasPassword: boolean;

  @Field(() => Date, { nullable: true })
  passwordChangedAt: Date | null;

  @Field()
  totpEnabled: boolean;

  @Field(() => Date, {
    nullable: true,
    description: "Set while the authenticator app (and its recovery codes) is cooling: enrolled without a step-up, it serves from then on.",
  })
  totpUsableFrom: Date | null;

  @Field()
  twoStepEnabled: boolean;

  @Field(() => [VerificationMethod], {
    description: "Second factors this account can use now, e.g. [EMAIL, TOTP, RECOVERY_CODE]; cooling ones are left out.",
  })
  twoStepMethods: VerificationMethod[];

  @Field(() => [VerificationMethod], {
    description:
      "What requestStepUp accepts now: the usable second factors, or [PASSWORD] when there are none but a password. Empty: nothing to step up with.",
  })
  stepUpMethods: VerificationMethod[];

  @Field(() => Int)
  recoveryCodesRemaining: number;
}
