import { Args, ArgsType, Authorized, Field, Mutation, Resolver } from "type-graphql";
import { Matches } from "class-validator";
import type { AccountEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { Account } from "../account/account.types";
import { TotpService } from "./totp.service";
import { TotpEnrollment } from "./totp.types";

@ArgsType()
class TotpCodeArgs {
  @Field({ description: "The 6 digits the authenticator app shows now." })
  @Matches(/^\d{6}$/, { message: "code must be the 6 digits your authenticator app shows" })
  code: string;
}

@Resolver()
export class TotpResolver {
  constructor(private readonly totp: TotpService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => TotpEnrollment, {
    description:
      "A new secret to scan; an active authenticator keeps working until the new one is confirmed. Needs a recent step-up, as does the confirmation.",
  })
  startTotpEnrollment(@CurrentAuth() auth: Authenticated): Promise<TotpEnrollment> {
    return this.totp.startEnrollment(auth);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => [String], { description: "Returns the recovery codes, shown once." })
  confirmTotpEnrollment(@Args() { code }: TotpCodeArgs, @CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<string[]> {
    return this.totp.confirmEnrollment(auth, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account, { description: "Needs a current code from the app and a recent step-up." })
  disableTotp(@Args() { code }: TotpCodeArgs, @CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<AccountEntity> {
    return this.totp.disable(auth, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => [String], { description: "New recovery codes (the old ones stop working); needs a recent step-up." })
  regenerateRecoveryCodes(@CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<string[]> {
    return this.totp.regenerateRecoveryCodes(auth, meta);
  }
}
