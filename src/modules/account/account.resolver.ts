import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { AccountEntity } from "../../entities";
import type { RequestContext, RequestMeta } from "../../graphql/context";
import { accountPartId } from "../../graphql/account-part-id";
import { CurrentAccount, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { passed } from "../real-name/real-name.service";
import { ProviderKind } from "../social/social.types";
import { AccountRowsCache } from "./account-rows";
import { AccountService } from "./account.service";
import { Account, Capabilities, UpdateProfileInput, UpdateProfilePayload } from "./account.types";

@Resolver(() => Account)
export class AccountResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly rows: AccountRowsCache,
  ) {}

  @Query(() => Account, {
    nullable: true,
    description: "The signed-in account; null when the request carries no valid session or API key.",
  })
  me(@Ctx() context: RequestContext): AccountEntity | null {
    return context.auth?.account ?? null;
  }

  @Authorized()
  @Mutation(() => UpdateProfilePayload, {
    description:
      "Changes username and/or avatar. Any signed-in session or API key with account:write; no step-up, but a new username is told to the bound email and phone (the old one no longer signs in). BAD_USER_INPUT for an invalid value, USERNAME_TAKEN when another account has the name.",
  })
  async updateProfile(
    @Arg("input", { description: "The new username and/or avatar." }) input: UpdateProfileInput,
    @CurrentAccount() account: AccountEntity,
    @Meta() meta: RequestMeta,
  ): Promise<UpdateProfilePayload> {
    return { account: await this.accounts.updateProfile(account.id, input, meta) };
  }

  @Extensions(FIELD_COST.reads(2))
  @FieldResolver(() => Capabilities, { description: "What the account may do, given its verifications and bindings." })
  capabilities(@Root() account: AccountEntity): MaybePromise<Capabilities> {
    return whenReady(this.rows.of(account), ({ realName, identities }) => ({
      id: accountPartId(account.id, "capabilities"),
      canPurchase: passed(realName),
      canWithdraw: identities.some((identity) => identity.kind === ProviderKind.ALIPAY),
    }));
  }
}
