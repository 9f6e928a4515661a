import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType, ForwardConnectionArgs } from "../../graphql/connection";
import { ArrayMaxSize, IsDate, IsOptional, Matches, MaxLength, MinLength } from "../../graphql/constraints";
import { IdArgs } from "../../graphql/id-args";
import { Account } from "../account/account.types";
import { API_KEY_SCOPES, ApiKeyScope } from "./api-key.service";

registerEnumType(ApiKeyScope, {
  name: "ApiKeyScope",
  description: "What an API key may do. A key never passes a step-up, so security operations stay with sessions.",
  valuesConfig: {
    ACCOUNT_READ: { description: "Run queries as the key's account." },
    ACCOUNT_WRITE: {
      description: "Run queries, and the mutations that need no step-up and are not for sessions only (e.g. updateProfile).",
    },
  },
});

@ObjectType({
  description:
    "A key a program uses instead of a session (`Authorization: Bearer <secret>`). Only the account's sessions see and manage its keys.",
})
export class ApiKey {
  @Field(() => ID, { description: "Stable id of the key; revokeApiKey takes it." })
  id: string;

  @Field({ description: "What the owner called it, to tell keys apart (1-64 characters)." })
  name: string;

  @Field({ description: "The start of the key, to recognise it in lists." })
  prefix: string;

  @Field(() => [ApiKeyScope], { description: "What the key may do." })
  scopes: ApiKeyScope[];

  @Field({ description: "When the key was created." })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "Updated at most once a minute." })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the key stops working; null when it does not expire." })
  expiresAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "Until when the key authenticates nobody yet: it was made on an account with nothing to step up with, and cools for NEW_FACTOR_COOLDOWN_SECONDS, so the owner can see and revoke it first. Null once it works.",
  })
  usableFrom: Date | null;
}

/** Keys a page holds unless `first` says otherwise. */
export const API_KEYS_PAGE_SIZE = 50;

@ObjectType({
  description:
    "A page of the account's API keys, newest first (a Relay connection: Apollo's relayStylePagination() and graphcache's relayPagination() page it unaided).",
})
export class ApiKeyConnection extends ConnectionType(ApiKey, {
  edge: "An API key with the cursor of its place in the list.",
  cursor: "Opaque: pass it as `after` to read the older keys. Stays valid after the key is revoked.",
  node: "The key.",
  edges: "The keys of this page with their cursors, newest first.",
  pageInfo: "Whether more keys follow this page, and the cursor to page from.",
}) {
  /** Whose keys, for totalCount (counted only when asked for). */
  accountId: string;

  @Field(() => Int, {
    description: "How many keys the account may have at once (API_KEYS_MAX_PER_ACCOUNT): createApiKey answers LIMIT_REACHED past it.",
  })
  max: number;
}

@ArgsType()
export class ApiKeysArgs extends ForwardConnectionArgs(API_KEYS_PAGE_SIZE) {}

@ObjectType({ description: "What createApiKey made. The secret is returned once, here, and never again." })
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { description: "The new key." })
  apiKey: ApiKey;

  @Field({ description: "Send as `Authorization: Bearer <secret>`." })
  secret: string;

  @Field(() => Account, { description: "The account, whose apiKeys now list the new key." })
  account: Account;
}

@ObjectType({ description: "What revokeApiKey changed." })
export class RevokeApiKeyPayload {
  @Field(() => ID, {
    description:
      "The id that was given: no key of the account has it now (also when there was none, e.g. revoked before or another account's), so a cache may drop it.",
  })
  revokedApiKeyId: string;

  @Field(() => Account, { description: "The account, whose apiKeys no longer list the key." })
  account: Account;
}

@InputType({ description: "Which key revokeApiKey revokes." })
export class RevokeApiKeyInput extends IdArgs {}

@InputType({ description: "The new key's name, scopes and expiry." })
export class CreateApiKeyInput {
  @Field({ description: "A name to tell keys apart, 1-64 characters." })
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(64, { message: "name must be at most 64 characters" })
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: "name must not contain control or invisible characters" })
  name: string;

  @Field(() => [ApiKeyScope], { nullable: true, description: "Default [ACCOUNT_READ]." })
  @IsOptional()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  scopes?: ApiKeyScope[] | null;

  @Field(() => Date, { nullable: true, description: "After this the key no longer works. Omit for a key that does not expire." })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}
