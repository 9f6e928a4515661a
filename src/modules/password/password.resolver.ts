import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { PasswordService } from "./password.service";
import { ChangePasswordInput, ChangePasswordPayload } from "./password.types";

@Resolver()
export class PasswordResolver {
  constructor(private readonly passwords: PasswordService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => ChangePasswordPayload, {
    description:
      "Changes the password, signs out every other session, gives this one a new token (send `token` from now on) and (unless revokeApiKeys is false) revokes every API key. Needs a recent step-up (STEP_UP_REQUIRED) when the account has a usable second factor; without one, the old password is the step-up. A wrong oldPassword is INVALID_CREDENTIALS; RATE_LIMITED past the account's password budget. On an account without a password (security.hasPassword false) it sets the first one, without oldPassword: that always needs a recent step-up (SET_PASSWORD), records PASSWORD_SET and tells the bound addresses.",
  })
  async changePassword(
    @Arg("input", { description: "The current and the new password." }) input: ChangePasswordInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
    @Ctx() context: RequestContext,
  ): Promise<ChangePasswordPayload> {
    const changed = await this.passwords.changePassword(auth, input, meta);
    context.auth = { ...auth, session: changed.session };
    return changed;
  }
}
