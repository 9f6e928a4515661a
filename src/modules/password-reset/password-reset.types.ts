import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Matches, MaxLength, MinLength } from "../../graphql/constraints";
import { IsAcceptablePassword } from "../password/password-policy";

/** Reset codes are always sent: 6 digits. */
const RESET_CODE = /^\d{6}$/;

@InputType({ description: "Where to send a password reset code." })
export class RequestPasswordResetInput {
  @Field({ description: "The bound email or phone to send the code to." })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;
}

@ObjectType({ description: "What requestPasswordReset returns: the same whether or not the identifier belongs to an account." })
export class RequestPasswordResetPayload {
  @Field({
    description:
      "The identifier as given, to send back with the code to resetPassword. A code went to it only if it is a usable bound email or phone.",
  })
  identifier: string;
}

@InputType({ description: "The code sent by requestPasswordReset, and the new password." })
export class ResetPasswordInput {
  @Field({ description: "the email or phone the code was sent to" })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;

  @Field({ description: "The 6 digits sent to the address." })
  @Matches(RESET_CODE, { message: "code must be the 6 digits that were sent" })
  code: string;

  @Field({ description: "The new password: at least 8 characters, not among the most common ones, not containing the username." })
  @IsAcceptablePassword()
  newPassword: string;
}

@ObjectType({ description: "What resetPassword returns. The caller has no session: sign in with the new password." })
export class ResetPasswordPayload {
  @Field(() => Int, { description: "How many sessions were signed out: all of the account's." })
  revokedSessionCount: number;

  @Field(() => Int, { description: "How many API keys were revoked: all of the account's." })
  revokedApiKeyCount: number;
}
