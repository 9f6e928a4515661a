import { Field, InputType, ObjectType } from "type-graphql";
import { Matches } from "../../graphql/constraints";
import { Account } from "../account/account.types";

@ObjectType({ description: "Scan the QR code (or type the secret) in an authenticator app, then confirm with a code from it." })
export class TotpEnrollment {
  @Field({ description: "Base32, for typing into the app by hand." })
  secret: string;

  @Field({ description: "otpauth://totp/<issuer>:<account>?secret=...&issuer=...: what the QR code holds." })
  otpauthUri: string;
}

/** `code`: the 6 digits the authenticator app shows now. */
@InputType()
export class TotpCodeInput {
  @Field({ description: "The 6 digits the authenticator app shows now." })
  @Matches(/^\d{6}$/, { message: "code must be the 6 digits your authenticator app shows" })
  code: string;
}

@ObjectType({ description: "What startTotpEnrollment started." })
export class StartTotpEnrollmentPayload {
  @Field(() => TotpEnrollment, { description: "The new secret: scan it, then confirm with confirmTotpEnrollment." })
  enrollment: TotpEnrollment;
}

@InputType({ description: "A code from the app the new secret was scanned into." })
export class ConfirmTotpEnrollmentInput extends TotpCodeInput {}

@ObjectType({ description: "What confirmTotpEnrollment changed." })
export class ConfirmTotpEnrollmentPayload {
  @Field(() => [String], { description: "10 recovery codes, shown once, here: each signs in (or steps up) once in place of the app." })
  recoveryCodes: string[];

  @Field(() => Account, { description: "The account, whose security shows the authenticator app (and recoveryCodesRemaining)." })
  account: Account;
}

@InputType({ description: "A current code from the app being removed." })
export class DisableTotpInput extends TotpCodeInput {}

@ObjectType({ description: "What disableTotp changed." })
export class DisableTotpPayload {
  @Field(() => Account, {
    description:
      "The account without the authenticator app and its recovery codes (and with two-step verification off when nothing else was left).",
  })
  account: Account;
}

@ObjectType({ description: "What regenerateRecoveryCodes changed." })
export class RegenerateRecoveryCodesPayload {
  @Field(() => [String], { description: "10 new recovery codes, shown once, here; the old ones no longer work." })
  recoveryCodes: string[];

  @Field(() => Account, { description: "The account, whose security.recoveryCodesRemaining counts the new codes." })
  account: Account;
}
