import { createUnionType, Field, InputType, ObjectType } from "type-graphql";
import { MaxLength, MinLength } from "class-validator";
import { Account } from "../account/account.types";
import { IsUsername } from "../account/username";
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from "../password/password-policy";
import { TwoStepChallenge } from "../two-step/two-step.types";

@InputType()
export class RegisterInput {
  @Field()
  @IsUsername()
  username: string;

  @Field()
  @IsAcceptablePassword()
  password: string;
}

@InputType()
export class LoginInput {
  @Field({ description: "username, email or phone" })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;

  @Field()
  @MinLength(1, { message: "password must not be empty" })
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "password is too long" })
  password: string;
}

@ObjectType({ description: "A signed-in session. Send the token as `Authorization: Bearer <token>`." })
export class AuthPayload {
  @Field()
  token: string;

  @Field()
  expiresAt: Date;

  @Field(() => Account)
  account: Account;
}

export const LoginResult = createUnionType({
  name: "LoginResult",
  types: () => [AuthPayload, TwoStepChallenge] as const,
  resolveType: (value) => ("token" in value ? AuthPayload : TwoStepChallenge),
});
