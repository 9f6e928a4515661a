import { Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { DataSource } from "typeorm";
import type { AccountEntity } from "../../entities";
import { FIELD_COST } from "../../graphql/query-limits";
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

  // availableMethods reads three tables, then the recovery codes once more.
  @Extensions(FIELD_COST.reads(4))
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
