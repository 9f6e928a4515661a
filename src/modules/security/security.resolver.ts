import { Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import type { AccountEntity } from "../../entities";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { coolingUntil } from "../factors/usable";
import { stepUpMethods } from "../step-up/step-up.service";
import type { SecondFactorVerifier } from "../totp/second-factor-verifier";
import { usableSecondFactors } from "../two-step/second-factors";
import { SecuritySettings } from "./security.types";

@Resolver(() => Account)
export class SecurityResolver {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly factors: SecondFactorVerifier,
  ) {}

  // availableMethods reads three tables, then the recovery codes once more.
  @Extensions(FIELD_COST.reads(4))
  @FieldResolver(() => SecuritySettings)
  async security(@Root() account: AccountEntity): Promise<SecuritySettings> {
    const now = this.clock.now();
    const [methods, totp, recoveryCodesRemaining] = await Promise.all([
      usableSecondFactors(this.dataSource.manager, account.id, now),
      this.factors.activeCredential(account.id),
      this.factors.recoveryCodesRemaining(account.id),
    ]);
    return {
      hasPassword: account.passwordHash !== null,
      passwordChangedAt: account.passwordChangedAt,
      totpEnabled: totp !== null,
      totpUsableFrom: totp ? coolingUntil(totp, now) : null,
      twoStepEnabled: account.twoStepEnabled,
      twoStepMethods: methods,
      stepUpMethods: stepUpMethods(methods, account),
      recoveryCodesRemaining,
    };
  }
}
