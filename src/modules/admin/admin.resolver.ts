import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AdminService, SUPPORT_ROLE } from "./admin.service";
import { AdminReplaceContactInput, AdminReplaceContactPayload } from "./admin.types";

@Resolver()
export class AdminResolver {
  constructor(private readonly admin: AdminService) {}

  @Authorized(SESSION_ONLY, SUPPORT_ROLE)
  @Mutation(() => AdminReplaceContactPayload, {
    description:
      "Support staff only (FORBIDDEN otherwise, and on staff accounts or their own), in a signed-in session after their own recent step-up (STEP_UP_REQUIRED, even on an account with nothing to step up with): replace a bound email/phone for a user who lost access. NOT_FOUND when there is no such account, IDENTITY_TAKEN when another account has the address. Audited; the user's addresses are told.",
  })
  async adminReplaceContact(
    @Arg("input", { description: "Whose address, the new one, and why." }) { accountId, kind, address, reason }: AdminReplaceContactInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AdminReplaceContactPayload> {
    return this.admin.replaceContact(auth, accountId, kind, address, reason, meta);
  }
}
