import { Field, ID, Int, ObjectType } from "type-graphql";
import { PLAIN_FIELDS } from "../../graphql/plain-fields";
import { VerificationMethod } from "../factors/vocabulary";

@ObjectType({
  ...PLAIN_FIELDS,
  description: "The account's password, second factors and two-step verification (one per account, so it belongs to Account.security).",
})
export class SecuritySettings {
  @Field(() => ID, { description: "`<account id>:security`: one per account, the same in every query." })
  id: string;

  @Field({ description: "False for an account made through a provider that never set a password." })
  hasPassword: boolean;

  @Field(() => Date, { nullable: true, description: "When the password was last set; null without a password." })
  passwordChangedAt: Date | null;

  @Field({ description: "An authenticator app is set up." })
  totpEnabled: boolean;

  @Field(() => Date, {
    nullable: true,
    description: "Set while the authenticator app (and its recovery codes) is cooling: enrolled without a step-up, it serves from then on.",
  })
  totpUsableFrom: Date | null;

  @Field({ description: "Signing in with a password also asks for a second factor." })
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

  @Field(() => Int, { description: "Unused recovery codes left (each works once)." })
  recoveryCodesRemaining: number;
}
