import { Field, ObjectType, registerEnumType } from "type-graphql";

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
