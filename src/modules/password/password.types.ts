import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Account } from "../account/account.types";
import { IsOptional, MaxLength, MinLength } from "../../graphql/constraints";
import { SESSION_TOKEN_RENEWED } from "../session/session.types";
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from "./password-policy";

@InputType({ description: "The current password and the new one." })
export class ChangePasswordInput {
  @Field(() => String, {
    nullable: true,
    description:
      "The current password: required (REQUIRED) when the account has one. Left out when it has none (security.hasPassword false, an account made through a provider): the new password is then its first, which needs a recent step-up (SET_PASSWORD).",
  })
  @IsOptional()
  @MinLength(1, { message: "oldPassword must not be empty" })
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "oldPassword is too long" })
  oldPassword?: string | null;

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
