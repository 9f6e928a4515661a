import { Arg, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity, ApiKeyEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { ApiKeyScope, ApiKeyService, scopesOf } from "./api-key.service";
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyInput, RevokeApiKeyPayload } from "./api-key.types";

function toApiKey(key: ApiKeyEntity): ApiKey {
  return { ...key, scopes: scopesOf(key) };
}

@Resolver(() => Account)
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [ApiKey], { description: "Newest first. Secrets are never shown again, only each key's prefix." })
  async apiKeys(@Root() account: AccountEntity): Promise<ApiKey[]> {
    return (await this.keys.list(account.id)).map(toApiKey);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => CreateApiKeyPayload, {
    description:
      "Needs a signed-in session (API keys cannot create keys: FORBIDDEN) with a recent step-up (STEP_UP_REQUIRED). BAD_USER_INPUT for a past expiresAt or past 20 keys.",
  })
  async createApiKey(
    @Arg("input", { description: "The new key's name, scopes and expiry." }) input: CreateApiKeyInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<CreateApiKeyPayload> {
    const scopes = input.scopes?.length ? input.scopes : [ApiKeyScope.ACCOUNT_READ];
    const { apiKey, secret } = await this.keys.create(auth, input.name, scopes, input.expiresAt ?? null, meta);
    return { apiKey: toApiKey(apiKey), secret, account: auth.account };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RevokeApiKeyPayload, {
    description:
      "The key stops working at once. Needs a signed-in session (FORBIDDEN for API keys) with a recent step-up (STEP_UP_REQUIRED). No error when the account has no such key.",
  })
  async revokeApiKey(
    @Arg("input", { description: "Which key to revoke." }) { id }: RevokeApiKeyInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<RevokeApiKeyPayload> {
    await this.keys.revoke(auth, id, meta);
    return { revokedApiKeyId: id, account: auth.account };
  }
}
