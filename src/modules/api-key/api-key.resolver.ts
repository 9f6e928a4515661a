import { Arg, Args, Authorized, Extensions, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import type { Clock } from "../../core/clock";
import type { AccountEntity, ApiKeyEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { MAX_PAGE_SIZE, pageWindow, toConnection, uuidKeysetCursors, type Edge } from "../../graphql/connection";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { coolingUntil } from "../factors/usable";
import { ApiKeyScope, ApiKeyService, scopesOf } from "./api-key.service";
import {
  API_KEYS_PAGE_SIZE,
  ApiKey,
  ApiKeyConnection,
  ApiKeysArgs,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
} from "./api-key.types";

function toApiKey(key: ApiKeyEntity, now: Date): ApiKey {
  return { ...key, scopes: scopesOf(key), usableFrom: coolingUntil(key, now) };
}

@Resolver(() => Account)
export class ApiKeyResolver {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  // One query for the page, one more to tell whether keys lie before the cursor paged from.
  @Extensions(FIELD_COST.reads(2))
  @Authorized(SESSION_ONLY)
  @FieldResolver(() => ApiKeyConnection, {
    description: `The account's API keys (at most API_KEYS_MAX_PER_ACCOUNT, expired ones included until revoked), newest first, as a Relay connection paged forward with first/after. Secrets are never shown again, only each key's prefix. BAD_USER_INPUT for a page size outside 1-${MAX_PAGE_SIZE} or a cursor this API did not give. Sessions only: an API key gets FORBIDDEN (who signed in from where, and which keys exist, are not for a program holding a key).`,
  })
  async apiKeys(@Root() account: AccountEntity, @Args() args: ApiKeysArgs): Promise<ApiKeyConnection> {
    const page = await this.keys.list(account.id, pageWindow(args, uuidKeysetCursors.decode, API_KEYS_PAGE_SIZE));
    const now = this.clock.now();
    const toEdge = (key: ApiKeyEntity): Edge<ApiKey> => ({
      cursor: uuidKeysetCursors.encode({ at: key.createdAt, id: key.id }),
      node: toApiKey(key, now),
    });
    return { ...toConnection(page, toEdge), accountId: account.id, max: this.keys.maxPerAccount };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => CreateApiKeyPayload, {
    description:
      "Needs a signed-in session (API keys cannot create keys: FORBIDDEN) with a recent step-up (STEP_UP_REQUIRED); on an account with nothing to step up with the key is made without one, and cools (see ApiKey.usableFrom). BAD_USER_INPUT for a past expiresAt, or (field code LIMIT_REACHED) when the account has API_KEYS_MAX_PER_ACCOUNT keys already.",
  })
  async createApiKey(
    @Arg("input", { description: "The new key's name, scopes and expiry." }) input: CreateApiKeyInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<CreateApiKeyPayload> {
    const scopes = input.scopes?.length ? input.scopes : [ApiKeyScope.ACCOUNT_READ];
    const { apiKey, secret } = await this.keys.create(auth, input.name, scopes, input.expiresAt ?? null, meta);
    return { apiKey: toApiKey(apiKey, this.clock.now()), secret, account: auth.account };
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

@Resolver(() => ApiKeyConnection)
export class ApiKeyConnectionResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Int, { description: "How many keys the account has (one count query: ask only when shown)." })
  totalCount(@Root() connection: ApiKeyConnection): Promise<number> {
    return this.keys.count(connection.accountId);
  }
}
