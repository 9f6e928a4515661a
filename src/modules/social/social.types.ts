import { ArgsType, Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { IsEnum, IsUrl, MaxLength, MinLength } from "class-validator";
import { LoginResult } from "../auth/auth.types";

export enum ProviderKind {
  WECHAT = "WECHAT",
  QQ = "QQ",
  ALIPAY = "ALIPAY",
}
registerEnumType(ProviderKind, {
  name: "ProviderKind",
  description: "A third-party account provider to sign in with or bind.",
  valuesConfig: {
    WECHAT: { description: "WeChat (website sign-in, by QR code)." },
    QQ: { description: "QQ Connect." },
    ALIPAY: { description: "Alipay; binding it lets the account withdraw (capabilities.canWithdraw)." },
  },
});

@ObjectType({ description: "A sign-in provider and whether this deployment has it configured." })
export class ProviderInfo {
  @Field(() => ProviderKind, { description: "The provider." })
  kind: ProviderKind;

  @Field({ description: "True when its credentials are configured (or a dev stand-in serves it): show its button." })
  enabled: boolean;
}

@ObjectType({
  description: "A provider account bound to this account for signing in. One per provider, so provider identifies it within the account.",
})
export class LinkedIdentity {
  @Field(() => ProviderKind, { description: "Which provider." })
  provider: ProviderKind;

  @Field(() => String, { nullable: true, description: "The nickname the provider gave when it was bound; null when it gave none." })
  displayName: string | null;

  @Field(() => String, { nullable: true, description: "The picture the provider gave when it was bound; null when it gave none." })
  avatarUrl: string | null;

  @Field({ description: "When it was bound." })
  boundAt: Date;
}

@ObjectType({
  description: "Where to send the person to sign in at a provider (or to bind it), and the state to check when they come back.",
})
export class ProviderAuthorization {
  @Field(() => ProviderKind, { description: "The provider." })
  provider: ProviderKind;

  @Field({ description: "Send the browser here (WeChat/QQ) or show it as a QR code to scan in the app (Alipay)." })
  authorizeUrl: string;

  @Field({ description: "Keep it (e.g. in sessionStorage) and check the one that comes back with the code is the same." })
  state: string;

  @Field({ description: "The state is refused after this: start again." })
  expiresAt: Date;
}

// Both argument and (unlisted) input types, so each mutation's own input extends them.
@ArgsType()
@InputType()
export class ProviderArgs {
  @Field(() => ProviderKind, { description: "The provider; it must be enabled on this deployment (Query.providers)." })
  @IsEnum(ProviderKind)
  provider: ProviderKind;
}

@ArgsType()
@InputType()
export class StartProviderArgs extends ProviderArgs {
  @Field({ description: "Where the provider sends the browser back: this server's origin or one of REDIRECT_ORIGINS." })
  @MaxLength(2048, { message: "redirectUri must be at most 2048 characters" })
  @IsUrl(
    { protocols: ["http", "https"], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: "redirectUri must be an absolute http(s) URL" },
  )
  redirectUri: string;
}

@ArgsType()
@InputType()
export class CompleteProviderArgs extends ProviderArgs {
  @Field({ description: "The code the provider added to the redirect (Alipay: auth_code)." })
  @MinLength(1, { message: "code must not be empty" })
  @MaxLength(512, { message: "code is too long" })
  code: string;

  @Field({ description: "The state that came back with the code." })
  @MinLength(1, { message: "state must not be empty" })
  @MaxLength(128, { message: "state is too long" })
  state: string;
}

@InputType({ description: "Which provider to sign in with, and where it sends the browser back." })
export class StartProviderLoginInput extends StartProviderArgs {}

@ObjectType({ description: "What startProviderLogin returns." })
export class StartProviderLoginPayload {
  @Field(() => ProviderAuthorization, {
    description: "Where to send the browser (or the QR code to show), and the state to check on return.",
  })
  authorization: ProviderAuthorization;
}

@InputType({ description: "What the provider sent back to the redirectUri after startProviderLogin." })
export class LoginWithProviderInput extends CompleteProviderArgs {}

@ObjectType({ description: "What loginWithProvider returns." })
export class LoginWithProviderPayload {
  @Field(() => LoginResult, { description: "The session, or, with two-step verification on, the challenge to finish signing in with." })
  result: typeof LoginResult;
}
