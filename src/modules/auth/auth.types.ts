import { createUnionType, Field, ID, InputType, ObjectType } from "type-graphql";
import { MaxLength, MinLength } from "../../graphql/constraints";
import { Account } from "../account/account.types";
import { IsUsername } from "../account/username";
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from "../password/password-policy";
import { TwoStepChallenge } from "../two-step/two-step.types";

@InputType({ description: "The new account's username and password." })
export class RegisterInput {
  @Field({ description: "3-32 letters, digits, _, - or Chinese characters with at least one letter; unique ignoring case." })
  @IsUsername()
  username: string;

  @Field({ description: "At least 8 characters, not among the most common passwords, not containing the username." })
  @IsAcceptablePassword()
  password: string;
}

@InputType({ description: "A sign-in name and its password." })
export class LoginInput {
  @Field({ description: "username, email or phone" })
  @MinLength(1, { message: "identifier must not be empty" })
  @MaxLength(320, { message: "identifier is too long" })
  identifier: string;

  @Field({ description: "The account's password." })
  @MinLength(1, { message: "password must not be empty" })
  @MaxLength(PASSWORD_MAX_LENGTH * 2, { message: "password is too long" })
  password: string;
}

@ObjectType({ description: "A signed-in session. Send the token as `Authorization: Bearer <token>`." })
export class AuthPayload {
  @Field({ description: "The session's bearer token, shown only here (the server keeps only its hash)." })
  token: string;

  @Field({ description: "When the session ends unless used before; use slides it on, up to an absolute limit." })
  expiresAt: Date;

  @Field(() => Account, { description: "The account the session is signed in to." })
  account: Account;
}

@ObjectType({ description: "What register returns: the new account, signed in." })
export class RegisterPayload extends AuthPayload {}

export const LoginResult = createUnionType({
  name: "LoginResult",
  description: "A signed-in session (AuthPayload), or, with two-step verification on, the TwoStepChallenge to finish signing in with.",
  types: () => [AuthPayload, TwoStepChallenge] as const,
  resolveType: (value) => ("token" in value ? AuthPayload : TwoStepChallenge),
});

@ObjectType({ description: "What login returns." })
export class LoginPayload {
  @Field(() => LoginResult, { description: "The session, or, with two-step verification on, the challenge to finish signing in with." })
  result: typeof LoginResult;
}

@ObjectType({ description: "What logout returns." })
export class LogoutPayload {
  @Field(() => ID, { description: "The session that was signed out: the one the request was made with." })
  signedOutSessionId: string;
}
