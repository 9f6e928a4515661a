import { Arg, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { AccountEntity } from "../../entities";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import { RealNameService } from "./real-name.service";
import {
  RealNameVerification,
  RefreshRealNameVerificationPayload,
  StartRealNameVerificationInput,
  StartRealNameVerificationPayload,
} from "./real-name.types";

@Resolver(() => Account)
export class RealNameResolver {
  constructor(
    private readonly checks: RealNameService,
    private readonly rows: AccountRowsCache,
  ) {}

  // The check, and while it is PENDING a claim on it; the provider's answer and its record come at most once per interval.
  @Extensions(FIELD_COST.reads(2))
  @FieldResolver(() => RealNameVerification, {
    description:
      "The account's real-name verification. Poll it while PENDING (every few seconds is fine): a read asks the identity provider about the check when no read did in the last REAL_NAME_POLL_INTERVAL_SECONDS (across every process), and records PASSED or FAILED as refreshRealNameVerification would; other reads, and reads while the provider is unreachable, answer from the stored status.",
  })
  realName(@Root() account: AccountEntity, @Meta() meta: RequestMeta): MaybePromise<RealNameVerification> {
    // Only a PENDING check goes to the database (and perhaps the provider); the rest answer from the page's rows.
    return whenReady(this.rows.of(account), ({ realName: check }) =>
      check?.status === "PENDING" ? this.checks.poll(account.id, meta) : this.checks.viewOf(account.id, check),
    );
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => StartRealNameVerificationPayload, {
    description:
      "Starts a check with the identity provider, abandoning a PENDING one. Needs a signed-in session, with a recent step-up once a second factor is bound (STEP_UP_REQUIRED). ALREADY_VERIFIED after a pass, PROVIDER_UNAVAILABLE when the deployment offers none or the provider is away, RATE_LIMITED for too many starts.",
  })
  async startRealNameVerification(
    @Arg("input", { description: "The legal name, ID number and return URL." }) input: StartRealNameVerificationInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<StartRealNameVerificationPayload> {
    return { realName: await this.checks.start(auth, input, meta), account: auth.account };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RefreshRealNameVerificationPayload, {
    description:
      "Asks the provider for the current status of a PENDING verification (any other is returned as it is). Needs a signed-in session; PROVIDER_UNAVAILABLE when the provider is away.",
  })
  async refreshRealNameVerification(
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<RefreshRealNameVerificationPayload> {
    return { realName: await this.checks.refresh(auth, meta), account: auth.account };
  }
}
