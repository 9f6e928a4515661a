import { FieldResolver, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import { Account } from "../account/account.types";
import { SecuritySettings } from "./security.types";

@Resolver(() => Account)
export class SecurityResolver {
  // TOTP, two-step and recovery codes report their state here once their workflows land.
  @FieldResolver(() => SecuritySettings)
  security(@Root() account: AccountEntity): SecuritySettings {
    return {
      hasPassword: account.passwordHash !== null,
      passwordChangedAt: account.passwordChangedAt,
      totpEnabled: false,
      twoStepEnabled: false,
      twoStepMethods: [],
      recoveryCodesRemaining: 0,
    };
  }
}
