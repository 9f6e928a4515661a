import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ArrayMaxSize, IsDate, IsIn, IsOptional, Matches, MaxLength, MinLength } from "class-validator";
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

@ObjectType({ description: "The secret is returned once, here, and never again." })
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: "Send as `Authorization: Bearer <secret>`." })
  secret: string;
}

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
