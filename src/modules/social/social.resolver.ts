import { Arg, Authorized, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { AccountEntity } from "../../entities";
import { accountPartId } from "../../graphql/account-part-id";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { toConnection } from "../../graphql/connection";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import type { SignedIn } from "../sign-in/sign-in.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import { linkedIdentities, SocialService } from "./social.service";
import {
  CompleteProviderBindingInput,
  CompleteProviderBindingPayload,
  LinkedIdentityConnection,
  LoginWithProviderInput,
  LoginWithProviderPayload,
  ProviderInfo,
  StartProviderBindingInput,
  StartProviderBindingPayload,
  StartProviderLoginInput,
  StartProviderLoginPayload,
  UnbindProviderInput,
  UnbindProviderPayload,
} from "./social.types";

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
  @FieldResolver(() => LinkedIdentityConnection, {
    description: "The WeChat, QQ and Alipay accounts bound for signing in, one per provider, oldest first; always whole (at most three).",
  })
  identities(@Root() account: AccountEntity): MaybePromise<LinkedIdentityConnection> {
    return whenReady(this.rows.of(account), (rows) => {
      const identities = linkedIdentities(rows.identities);
      const whole = { rows: identities, hasNextPage: false, hasPreviousPage: false };
      return { ...toConnection(whole, (identity) => ({ cursor: identity.provider, node: identity })), totalCount: identities.length };
    });
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => StartProviderBindingPayload, {
    description:
      "Starts binding: send the browser to authorizeUrl (or show qrCodeDataUrl). Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED). PROVIDER_UNAVAILABLE when the provider is not configured, BAD_USER_INPUT when one is bound already or the redirectUri is not allowed, RATE_LIMITED for too many starts.",
  })
  async startProviderBinding(
    @Arg("input", { description: "The provider and where it sends the browser back." })
    { provider, redirectUri }: StartProviderBindingInput,
    @CurrentAuth() auth: Authenticated,
  ): Promise<StartProviderBindingPayload> {
    return { authorization: await this.social.startBinding(auth, provider, redirectUri) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => CompleteProviderBindingPayload, {
    description:
      "Finishes binding with the code and state the provider sent back. Needs a recent step-up (STEP_UP_REQUIRED, checked before the state is used). IDENTITY_TAKEN when another account has the provider account; PROVIDER_ERROR or PROVIDER_UNAVAILABLE when the provider refuses or is away.",
  })
  completeProviderBinding(
    @Arg("input", { description: "The provider, code and state." }) { provider, code, state }: CompleteProviderBindingInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<CompleteProviderBindingPayload> {
    return this.social.completeBinding(auth, provider, code, state, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => UnbindProviderPayload, {
    description:
      "Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED); refuses to remove the last way to sign in (LAST_SIGN_IN_METHOD). BAD_USER_INPUT when the provider is not bound.",
  })
  async unbindProvider(
    @Arg("input", { description: "Which provider to unbind." }) { provider }: UnbindProviderInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<UnbindProviderPayload> {
    const account = await this.social.unbind(auth, provider, meta);
    return { unboundIdentityId: accountPartId(account.id, provider), account };
  }

  @Mutation(() => StartProviderLoginPayload, {
    description:
      "Starts signing in with a bound provider account; no session needed. Raises BAD_USER_INPUT (a provider not enabled, a redirectUri not allowed) and RATE_LIMITED.",
  })
  async startProviderLogin(
    @Arg("input", { description: "The provider and where it sends the browser back." }) { provider, redirectUri }: StartProviderLoginInput,
    @Meta() meta: RequestMeta,
  ): Promise<StartProviderLoginPayload> {
    return { authorization: await this.social.startLogin(provider, redirectUri, meta) };
  }

  @Mutation(() => LoginWithProviderPayload, {
    description:
      "Signs in with the code and state the provider sent back; two-step verification applies. Raises IDENTITY_NOT_BOUND, IDENTITY_COOLING (a provider account bound without a step-up, until its cool-down ends), CODE_INVALID (an unknown or used state), CODE_EXPIRED, PROVIDER_ERROR and PROVIDER_UNAVAILABLE.",
  })
  async loginWithProvider(
    @Arg("input", { description: "What the provider sent back." }) { provider, code, state }: LoginWithProviderInput,
    @Meta() meta: RequestMeta,
  ): Promise<{ result: SignedIn | TwoStepChallenge }> {
    return { result: await this.social.login(provider, code, state, meta) };
  }
}
