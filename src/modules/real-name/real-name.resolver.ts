import { Arg, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import { RealNameService } from "./real-name.service";
import { RealNameInput, RealNameVerification } from "./real-name.types";

@Resolver(() => Account)
export class RealNameResolver {
  constructor(
    private readonly checks: RealNameService,
    private readonly rows: AccountRowsCache,
  ) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => RealNameVerification)
  async realName(@Root() account: AccountEntity): Promise<RealNameVerification> {
    return this.checks.viewOf((await this.rows.of(account)).realName);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RealNameVerification, {
    description: "Starts a check with the identity provider; needs a recent step-up once a second factor is bound.",
  })
  startRealNameVerification(
    @Arg("input") input: RealNameInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<RealNameVerification> {
    return this.checks.start(auth, input, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RealNameVerification, { description: "Asks the provider for the current status of a PENDING verification." })
  refreshRealNameVerification(@CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<RealNameVerification> {
    return this.checks.refresh(auth, meta);
  }
}
