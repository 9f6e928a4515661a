import { Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { Clock } from "../../core/clock";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { AccountEntity } from "../../entities";
import { accountPartId } from "../../graphql/account-part-id";
import { FIELD_COST } from "../../graphql/query-limits";
import type { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import { coolingUntil } from "../factors/usable";
import { stepUpMethods, usableMethods } from "../factors/second-factors";
import { SecuritySettings } from "./security.types";

@Resolver(() => Account)
export class SecurityResolver {
  constructor(
    private readonly rows: AccountRowsCache,
    private readonly clock: Clock,
  ) {}

  // Reads shared with the page's other fields (AccountRowsCache); the cost stays at the four it was given when it made four.
  @Extensions(FIELD_COST.reads(4))
  @FieldResolver(() => SecuritySettings, {
    description: "Password, second factors and two-step verification: what the security settings page shows.",
  })
  security(@Root() account: AccountEntity): MaybePromise<SecuritySettings> {
    return whenReady(this.rows.of(account), ({ factors }) => {
      const now = this.clock.now();
      const { totp, recoveryCodesRemaining } = factors;
      const methods = usableMethods(factors, now);
      return {
        id: accountPartId(account.id, "security"),
        hasPassword: account.passwordHash !== null,
        passwordChangedAt: account.passwordChangedAt,
        totpEnabled: totp !== null,
        totpUsableFrom: totp ? coolingUntil(totp, now) : null,
        twoStepEnabled: account.twoStepEnabled,
        twoStepMethods: methods,
        stepUpMethods: stepUpMethods(methods, account),
        recoveryCodesRemaining,
      };
    });
  }
}
