import { FieldResolver, Resolver, Root } from "type-graphql";
import type { DataSource } from "typeorm";
import type { AccountEntity } from "../../entities";
import { Account } from "../account/account.types";
import { availableMethods } from "../step-up/step-up.service";
import type { SecondFactorVerifier } from "../totp/second-factor-verifier";
import { VerificationMethod } from "../two-step/two-step.types";
import { SecuritySettings } from "./security.types";

@Resolver(() => Account)
export class SecurityResolver {
  constructor(
    private readonly dataSource: DataSource,
    private readonly factors: SecondFactorVerifier,
  ) {}

  @FieldResolver(() => SecuritySettings)
  async security(@Root() account: AccountEntity): Promise<SecuritySettings> {
    const [methods, recoveryCodesRemaining] = await Promise.all([
      availableMethods(this.dataSource, this.factors, account.id),
      this.factors.recoveryCodesRemaining(account.id),
    ]);
    return {
      hasPassword: account.passwordHash !== null,
      passwordChangedAt: account.passwordChangedAt,
      totpEnabled: methods.includes(VerificationMethod.TOTP),
      twoStepEnabled: account.twoStepEnabled,
      twoStepMethods: methods,
      recoveryCodesRemaining,
    };
  }
}
