import { ArgsType, Field, InputType } from "type-graphql";
import { Matches, MaxLength, MinLength } from "class-validator";
import { IsAcceptablePassword } from "../password/password-policy";

/** Reset codes are always sent: 6 digits. */
const RESET_CODE = /^\d{6}$/;

@ArgsType()
export class RequestPasswordResetArgs {
  @Field({ description: "The bound email or phone to send the code to." })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;
}

@InputType()
export class ResetPasswordInput {
  @Field({ description: "the email or phone the code was sent to" })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;

  @Field()
  @Matches(RESET_CODE, { message: "code must be the 6 digits that were sent" })
  code: string;

  @Field()
  @IsAcceptablePassword()
  newPassword: string;
}
