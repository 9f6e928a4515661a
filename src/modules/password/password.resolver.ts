import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { PasswordService } from "./password.service";
import { ChangePasswordInput } from "./password.types";

@Resolver()
export class PasswordResolver {
  constructor(private readonly passwords: PasswordService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => Boolean, {
    description: "Changes the password and signs out every other session. Needs a recent step-up (STEP_UP_REQUIRED) when the account has a bound contact or TOTP.",
  })
  async changePassword(
    @Arg("input") input: ChangePasswordInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<boolean> {
    await this.passwords.changePassword(auth, input, meta);
    return true;
  }
}
