import { FieldResolver, Resolver } from "type-graphql";
import { Account } from "../account/account.types";
import { ApiKey } from "./api-key.types";

@Resolver(() => Account)
export class ApiKeyResolver {
  // API keys are their own workflow; until it lands no account has any.
  @FieldResolver(() => [ApiKey])
  apiKeys(): ApiKey[] {
    return [];
  }
}
