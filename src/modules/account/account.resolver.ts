import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import type { RequestContext, RequestMeta } from "../../graphql/context";
import { CurrentAccount, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { passed } from "../real-name/real-name.service";
import { AccountRowsCache } from "./account-rows";
import { AccountService } from "./account.service";
import { Account, Capabilities, UpdateProfileInput } from "./account.types";

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
  @Mutation(() => Account, { description: "Changes username and/or avatar." })
  updateProfile(
    @Arg("input") input: UpdateProfileInput,
    @CurrentAccount() account: AccountEntity,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.accounts.updateProfile(account.id, input, meta);
  }

  @Extensions(FIELD_COST.reads(2))
  @FieldResolver(() => Capabilities)
  async capabilities(@Root() account: AccountEntity): Promise<Capabilities> {
    const { realName, identities } = await this.rows.of(account);
    return { canPurchase: passed(realName), canWithdraw: identities.some((identity) => identity.kind === "ALIPAY") };
  }
}
