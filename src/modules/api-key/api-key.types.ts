import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ArrayMaxSize, IsDate, IsIn, IsOptional, Matches, MaxLength, MinLength } from "class-validator";
import { IdArgs } from "../../graphql/id-args";
import { Account } from "../account/account.types";
import { API_KEY_SCOPES } from "./api-key.service";

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: "The start of the key, to recognise it in lists." })
  prefix: string;

  @Field(() => [String], { description: "account:read (queries) and/or account:write (mutations that need no step-up)." })
  scopes: string[];

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "Updated at most once a minute." })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;
}

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

@InputType()
export class CreateApiKeyInput {
  @Field()
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(64, { message: "name must be at most 64 characters" })
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: "name must not contain control or invisible characters" })
  name: string;

  @Field(() => [String], { nullable: true, description: "Default [account:read]." })
  @IsOptional()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of ${API_KEY_SCOPES.join(", ")}` })
  scopes?: string[] | null;

  @Field(() => Date, { nullable: true, description: "After this the key no longer works. Omit for a key that does not expire." })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}
