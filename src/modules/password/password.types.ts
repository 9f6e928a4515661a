import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Account } from "../account/account.types";
import { MaxLength, MinLength } from "../../graphql/constraints";
import { SESSION_TOKEN_RENEWED } from "../session/session.types";
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from "./password-policy";

@InputType({ description: "The current password and the new one." })
export class ChangePasswordInput {
  @Field({ description: "The current password." })
  @MinLength(1, { message: "oldPassword must not be empty" })
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "oldPassword is too long" })
  oldPassword: string;

  @Field({ description: "The new password: at least 8 characters, not among the most common ones, not containing the username." })
  @IsAcceptablePassword()
  newPassword: string;

  @Field({
    defaultValue: true,
    description: "Also revoke every API key of the account (default): a leaked password may have leaked keys too.",
  })
  revokeApiKeys: boolean;
}

@ObjectType({ description: "What changePassword returns." })
export class ChangePasswordPayload {
  @Field(() => Account, {
    description: "The account: security.passwordChangedAt moved on, and sessions (and apiKeys, unless kept) list only what is left.",
  })
  account: Account;

  @Field(() => Int, { description: "How many other sessions were signed out." })
  revokedSessionCount: number;

  @Field(() => Int, { description: "How many API keys were revoked (0 with revokeApiKeys: false)." })
  revokedApiKeyCount: number;

  @Field(() => String, { description: SESSION_TOKEN_RENEWED })
  token: string;
}
