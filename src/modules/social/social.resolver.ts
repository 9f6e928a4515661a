import { Args, Authorized, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import type { SignedIn } from "../auth/auth.service";
import { LoginResult } from "../auth/auth.types";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import { linkedIdentities, SocialService } from "./social.service";
import { CompleteProviderArgs, LinkedIdentity, ProviderArgs, ProviderAuthorization, ProviderInfo, StartProviderArgs } from "./social.types";

@Resolver(() => Account)
export class SocialResolver {
  constructor(
    private readonly social: SocialService,
    private readonly rows: AccountRowsCache,
  ) {}

  @Query(() => [ProviderInfo], {
    description: "Which sign-in/binding providers this deployment has configured, so the SPA can show buttons.",
  })
  providers(): ProviderInfo[] {
    return this.social.providers();
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [LinkedIdentity])
  async identities(@Root() account: AccountEntity): Promise<LinkedIdentity[]> {
    return linkedIdentities((await this.rows.of(account)).identities);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => ProviderAuthorization, {
    description: "Starts binding: send the browser to authorizeUrl (or show qrCodeDataUrl). Needs a recent step-up.",
  })
  startProviderBinding(
    @Args() { provider, redirectUri }: StartProviderArgs,
    @CurrentAuth() auth: Authenticated,
  ): Promise<ProviderAuthorization> {
    return this.social.startBinding(auth, provider, redirectUri);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account, {
    description:
      "Finishes binding with the code and state the provider sent back. Needs a recent step-up (checked before the state is used).",
  })
  completeProviderBinding(
    @Args() { provider, code, state }: CompleteProviderArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.social.completeBinding(auth, provider, code, state, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account, { description: "Needs a recent step-up; refuses to remove the last way to sign in." })
  unbindProvider(
    @Args() { provider }: ProviderArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.social.unbind(auth, provider, meta);
  }

  @Mutation(() => ProviderAuthorization, { description: "Starts signing in with a bound provider account." })
  startProviderLogin(@Args() { provider, redirectUri }: StartProviderArgs, @Meta() meta: RequestMeta): Promise<ProviderAuthorization> {
    return this.social.startLogin(provider, redirectUri, meta);
  }

  @Mutation(() => LoginResult, { description: "Signs in with the code and state the provider sent back; two-step verification applies." })
  loginWithProvider(
    @Args() { provider, code, state }: CompleteProviderArgs,
    @Meta() meta: RequestMeta,
  ): Promise<SignedIn | TwoStepChallenge> {
    return this.social.login(provider, code, state, meta);
  }
}
