import { Args, ArgsType, Authorized, Field, ID, Mutation, Resolver } from "type-graphql";
import { IsUUID, MaxLength, MinLength } from "class-validator";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { ContactAddressArgs } from "../contact/contact.args";
import { AdminService, SUPPORT_ROLE } from "./admin.service";
import { SupportAccountView } from "./admin.types";

@ArgsType()
class AdminReplaceContactArgs extends ContactAddressArgs {
  @Field(() => ID)
  @IsUUID("all", { message: "accountId must be a user ID" })
  accountId: string;

  @Field({ description: "Why, for the user's security log: e.g. the ticket number and how identity was checked." })
  @MinLength(3, { message: "reason must say why, in at least 3 characters" })
  @MaxLength(500, { message: "reason must be at most 500 characters" })
  reason: string;
}

@Resolver()
export class AdminResolver {
  constructor(private readonly admin: AdminService) {}

  @Authorized(SESSION_ONLY, SUPPORT_ROLE)
  @Mutation(() => SupportAccountView, {
    description:
      "Support staff only, after their own step-up: replace a bound email/phone for a user who lost access. Not on staff accounts. Audited; the user's addresses are told.",
  })
  adminReplaceContact(
    @Args() { accountId, kind, address, reason }: AdminReplaceContactArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<SupportAccountView> {
    return this.admin.replaceContact(auth, accountId, kind, address, reason, meta);
  }
}
