import { OperationTypeNode, type GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, Extensions, FieldResolver, Info, Mutation, Resolver, Root } from "type-graphql";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { Authenticated, RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AppError } from "../../errors";
import { toChallenge } from "../challenge/to-challenge";
import { FIELD_COST } from "../../graphql/query-limits";
import { SecuritySettings } from "../security/security.types";
import { SensitiveAction } from "./sensitive-action";
import { StepUpService, type StepUpHints } from "./step-up.service";
import { CompleteStepUpInput, CompleteStepUpPayload, RequestStepUpInput, RequestStepUpPayload } from "./step-up.types";

@Resolver()
export class StepUpResolver {
  constructor(private readonly stepUp: StepUpService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => RequestStepUpPayload, {
    description:
      "Step-up: prove a factor on this session before changing a way in. PASSWORD only while the account has no usable second factor (security.stepUpMethods). Sessions only (FORBIDDEN for an API key); RATE_LIMITED for codes sent too often.",
  })
  async requestStepUp(
    @Arg("input", { description: "The method to step up with." }) { method }: RequestStepUpInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<RequestStepUpPayload> {
    return { challenge: toChallenge(await this.stepUp.request(auth, method, meta)) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => CompleteStepUpPayload, {
    description:
      "Marks this session as verified for a few minutes (STEP_UP_TTL_SECONDS) and gives it a new token: the one this request carried stops working, so send `token` from now on. Give code, or password for a PASSWORD challenge. Raises CODE_INVALID (a wrong code or password, or another session's challenge), CODE_EXPIRED, TOO_MANY_ATTEMPTS and RATE_LIMITED (the account's password budget).",
  })
  async completeStepUp(
    @Arg("input", { description: "The challenge, and its code or the password." }) { challengeId, code, password }: CompleteStepUpInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
    @Ctx() context: RequestContext,
  ): Promise<CompleteStepUpPayload> {
    const proof = code ?? password;
    if (!proof || (code && password))
      throw AppError.badInput("code", "EXACTLY_ONE_OF", "give the code, or the password for a PASSWORD step-up", {
        fields: ["code", "password"],
      });
    const { token, session } = await this.stepUp.complete(auth, challengeId, proof, meta);
    context.auth = { ...auth, session };
    return { account: auth.account, token };
  }
}

/** What the hints read of their `security` root: typed so, not as the class, type-graphql hands it over as it is instead of copying it into one. */
type SecurityRoot = Pick<SecuritySettings, "stepUpMethods">;

/**
 * The step-up hints on security: worked out once per request for both fields, keyed by the request's
 * own Authenticated (authentication makes one per request).
 */
@Resolver(() => SecuritySettings)
export class StepUpHintsResolver {
  private readonly read = new WeakMap<Authenticated, MaybePromise<StepUpHints>>();

  constructor(private readonly stepUp: StepUpService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "Until when this session may make the changes that ask for a step-up without asking again (STEP_UP_TTL_SECONDS after completeStepUp); null when no step-up is in force, and for an API key. stepUpRequiredFor changes then: read it again at this time.",
  })
  stepUpValidUntil(
    @Root() security: SecurityRoot,
    @CurrentAuth() auth: Authenticated,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<Date | null> {
    return whenReady(this.hints(security, auth, info), (hints) => hints.validUntil);
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [SensitiveAction], {
    description:
      "The actions that would answer STEP_UP_REQUIRED for this session now, by the server's own rule: show it before the click and step up first. Empty while a step-up is in force (see stepUpValidUntil); when the account has nothing to step up with, only the actions that never go ahead without one (SET_PASSWORD, REPLACE_CONTACT_AS_SUPPORT), since what it adds then cools (see NEW_FACTOR_COOLDOWN_SECONDS); CHANGE_PASSWORD is left out while the password is the only step-up method (the current password it takes is the proof). Every action for an API key.",
  })
  stepUpRequiredFor(
    @Root() security: SecurityRoot,
    @CurrentAuth() auth: Authenticated,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<SensitiveAction[]> {
    return whenReady(this.hints(security, auth, info), (hints) => hints.requiredFor);
  }

  private hints(security: SecurityRoot, auth: Authenticated, info: GraphQLResolveInfo): MaybePromise<StepUpHints> {
    let hints = this.read.get(auth);
    if (!hints) {
      hints = this.stepUp.hints(auth, security.stepUpMethods, info.operation.operation === OperationTypeNode.MUTATION);
      this.read.set(auth, hints);
    }
    return hints;
  }
}
