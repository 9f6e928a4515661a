import { Arg, Args, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity, ApiKeyEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { IdArgs } from "../../graphql/id-args";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { ApiKeyScope, ApiKeyService, scopesOf } from "./api-key.service";
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from "./api-key.types";

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
  @Mutation(() => CreatedApiKey, { description: "Needs a signed-in session with a recent step-up; API keys cannot create keys." })
  async createApiKey(
    @Arg("input") input: CreateApiKeyInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<CreatedApiKey> {
    const scopes = input.scopes?.length ? input.scopes : [ApiKeyScope.ACCOUNT_READ];
    const { apiKey, secret } = await this.keys.create(auth, input.name, scopes, input.expiresAt ?? null, meta);
    return { apiKey: toApiKey(apiKey), secret };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Boolean, { description: "The key stops working at once. Needs a recent step-up. False when there is no such key." })
  revokeApiKey(@Args() { id }: IdArgs, @CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<boolean> {
    return this.keys.revoke(auth, id, meta);
  }
}
