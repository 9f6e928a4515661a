import { Arg, Mutation, Resolver } from "type-graphql";
import type { RequestMeta } from "../../graphql/context";
import { Meta } from "../../graphql/current";
import type { PasswordReplaced } from "../password/password.service";
import { PasswordResetService } from "./password-reset.service";
import { RequestPasswordResetInput, RequestPasswordResetPayload, ResetPasswordInput, ResetPasswordPayload } from "./password-reset.types";

@Resolver()
export class PasswordResetResolver {
  constructor(private readonly resets: PasswordResetService) {}

  @Mutation(() => RequestPasswordResetPayload, {
    description:
      "Sends a reset code to a bound email or phone; no session needed. Answers the same whether or not the identifier exists: only RATE_LIMITED (the caller's IP budget) and BAD_USER_INPUT.",
  })
  async requestPasswordReset(
    @Arg("input", { description: "The email or phone to send the code to." }) { identifier }: RequestPasswordResetInput,
    @Meta() meta: RequestMeta,
  ): Promise<RequestPasswordResetPayload> {
    await this.resets.request(identifier, meta);
    return { identifier };
  }

  @Mutation(() => ResetPasswordPayload, {
    description:
      "Sets a new password with the code sent to the email or phone (still bound to the account), signs out every session and revokes every API key. Raises CODE_INVALID, CODE_EXPIRED, TOO_MANY_ATTEMPTS and BAD_USER_INPUT.",
  })
  resetPassword(
    @Arg("input", { description: "The code and the new password." }) input: ResetPasswordInput,
    @Meta() meta: RequestMeta,
  ): Promise<PasswordReplaced> {
    return this.resets.reset(input, meta);
  }
}
