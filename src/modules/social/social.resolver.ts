import { Arg, Args, Authorized, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import type { SignedIn } from "../sign-in/sign-in.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import { SocialService } from "./social.service";
import {
  CompleteProviderArgs,
  LinkedIdentity,
  LoginWithProviderInput,
  LoginWithProviderPayload,
  ProviderArgs,
  ProviderAuthorization,
  ProviderInfo,
  StartProviderArgs,
  StartProviderLoginInput,
  StartProviderLoginPayload,
} from "./social.types";

@Resolver(() => Account)
export class SocialResolver {
  constructor(private readonly social: SocialService) {}

  @Query(() => [ProviderInfo], {
    description: "Which sign-in/binding providers this deployment has configured, so the SPA can show buttons.",
  })
  providers(): ProviderInfo[] {
    return this.social.providers();
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [LinkedIdentity], { description: "The WeChat, QQ and Alipay accounts bound for signing in, one per provider." })
  identities(@Root() account: AccountEntity): Promise<LinkedIdentity[]> {
    return this.social.identities(account.id);
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

  @Mutation(() => StartProviderLoginPayload, {
    description:
      "Starts signing in with a bound provider account; no session needed. Raises BAD_USER_INPUT (a provider not enabled, a redirectUri not allowed) and RATE_LIMITED.",
  })
  async startProviderLogin(
    @Arg("input") { provider, redirectUri }: StartProviderLoginInput,
    @Meta() meta: RequestMeta,
  ): Promise<StartProviderLoginPayload> {
    return { authorization: await this.social.startLogin(provider, redirectUri, meta) };
  }

  @Mutation(() => LoginWithProviderPayload, {
    description:
      "Signs in with the code and state the provider sent back; two-step verification applies. Raises IDENTITY_NOT_BOUND, CODE_INVALID (an unknown or used state), CODE_EXPIRED, PROVIDER_ERROR and PROVIDER_UNAVAILABLE.",
  })
  async loginWithProvider(
    @Arg("input") { provider, code, state }: LoginWithProviderInput,
    @Meta() meta: RequestMeta,
  ): Promise<{ result: SignedIn | TwoStepChallenge }> {
    return { result: await this.social.login(provider, code, state, meta) };
  }
}
