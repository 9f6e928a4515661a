import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { AppError } from "../../errors";
import { toChallenge } from "../challenge/to-challenge";
import { StepUpService } from "./step-up.service";
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
    @Arg("input") { method }: RequestStepUpInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<RequestStepUpPayload> {
    return { challenge: toChallenge(await this.stepUp.request(auth, method, meta)) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => CompleteStepUpPayload, {
    description:
      "Marks this session as verified for a few minutes (STEP_UP_TTL_SECONDS). Give code, or password for a PASSWORD challenge. Raises CODE_INVALID (a wrong code or password, or another session's challenge), CODE_EXPIRED, TOO_MANY_ATTEMPTS and RATE_LIMITED (the account's password budget).",
  })
  async completeStepUp(
    @Arg("input") { challengeId, code, password }: CompleteStepUpInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<CompleteStepUpPayload> {
    const proof = code ?? password;
    if (!proof || (code && password))
      throw AppError.badInput("code", "EXACTLY_ONE_OF", "give the code, or the password for a PASSWORD step-up", {
        fields: ["code", "password"],
      });
    await this.stepUp.complete(auth, challengeId, proof, meta);
    return { account: auth.account };
  }
}
