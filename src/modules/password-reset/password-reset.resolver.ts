import { Arg, Args, Mutation, Resolver } from "type-graphql";
import type { RequestMeta } from "../../graphql/context";
import { Meta } from "../../graphql/current";
import { PasswordResetService } from "./password-reset.service";
import { RequestPasswordResetArgs, ResetPasswordInput } from "./password-reset.types";

@Resolver()
export class PasswordResetResolver {
  constructor(private readonly resets: PasswordResetService) {}

  @Mutation(() => Boolean, { description: "Always true, whether or not the identifier exists." })
  async requestPasswordReset(@Args() { identifier }: RequestPasswordResetArgs, @Meta() meta: RequestMeta): Promise<boolean> {
    await this.resets.request(identifier, meta);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the code sent to the email or phone (still bound to the account), signs out every session and revokes every API key.",
  })
  async resetPassword(@Arg("input") input: ResetPasswordInput, @Meta() meta: RequestMeta): Promise<boolean> {
    await this.resets.reset(input, meta);
    return true;
  }
}
