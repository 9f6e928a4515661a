import { FieldResolver, Query, Resolver } from "type-graphql";
import { Account } from "../account/account.types";
import { LinkedIdentity, ProviderInfo, ProviderKind } from "./social.types";

@Resolver(() => Account)
export class SocialResolver {
  // No OAuth adapter exists yet, so no provider is enabled and no identity is bound.
  @Query(() => [ProviderInfo], { description: "Which sign-in/binding providers this deployment has configured, so the SPA can show buttons." })
  providers(): ProviderInfo[] {
    return Object.values(ProviderKind).map((kind) => ({ kind, enabled: false }));
  }

  @FieldResolver(() => [LinkedIdentity])
  identities(): LinkedIdentity[] {
    return [];
  }
}
