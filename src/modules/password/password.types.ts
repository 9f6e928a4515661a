import { Field, InputType } from "type-graphql";
import { MaxLength, MinLength } from "class-validator";
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from "./password-policy";

@InputType()
export class ChangePasswordInput {
  @Field()
  @MinLength(1, { message: "oldPassword must not be empty" })
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "oldPassword is too long" })
  oldPassword: string;

  @Field()
  @IsAcceptablePassword()
  newPassword: string;

  @Field({
    defaultValue: true,
    description: "Also revoke every API key of the account (default): a leaked password may have leaked keys too.",
  })
  revokeApiKeys: boolean;
}
