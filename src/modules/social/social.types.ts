import { ArgsType, Field, ObjectType, registerEnumType } from "type-graphql";
import { IsEnum, IsUrl, MaxLength, MinLength } from "class-validator";

export enum ProviderKind {
  WECHAT = "WECHAT",
  QQ = "QQ",
  ALIPAY = "ALIPAY",
}
registerEnumType(ProviderKind, { name: "ProviderKind" });

@ObjectType()
export class ProviderInfo {
  @Field(() => ProviderKind)
  kind: ProviderKind;

  @Field()
  enabled: boolean;
}

@ObjectType()
export class LinkedIdentity {
  @Field(() => ProviderKind)
  provider: ProviderKind;

  @Field(() => String, { nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  avatarUrl: string | null;

  @Field()
  boundAt: Date;
}

@ObjectType()
export class ProviderAuthorization {
  @Field(() => ProviderKind)
  provider: ProviderKind;

  @Field({ description: "Send the browser here (WeChat/QQ) or show it as a QR code to scan in the app (Alipay)." })
  authorizeUrl: string;

  @Field({ description: "Keep it (e.g. in sessionStorage) and check the one that comes back with the code is the same." })
  state: string;

  @Field()
  expiresAt: Date;
}

@ArgsType()
export class ProviderArgs {
  @Field(() => ProviderKind)
  @IsEnum(ProviderKind)
  provider: ProviderKind;
}

@ArgsType()
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
