import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { SignInService, type SignedIn } from "../sign-in/sign-in.service";
import { toChallenge } from "../challenge/to-challenge";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { TwoStepService } from "./two-step.service";
import { CompleteTwoStepInput, CompleteTwoStepPayload, SendTwoStepCodeInput, SendTwoStepCodePayload } from "./two-step-sign-in.types";
import { SetTwoStepVerificationInput, SetTwoStepVerificationPayload } from "./two-step.types";

@Resolver()
export class TwoStepResolver {
  constructor(
    private readonly twoStep: TwoStepService,
    private readonly signIn: SignInService,
  ) {}

  @Mutation(() => SendTwoStepCodePayload, {
    description:
      "Sends an EMAIL or SMS code for a two-step sign-in challenge; no session needed. Raises CODE_INVALID (no such open challenge), CODE_EXPIRED, RATE_LIMITED and BAD_USER_INPUT (a method the challenge does not offer).",
  })
  async sendTwoStepCode(
    @Arg("input", { description: "The challenge and where to send its code." }) { challengeId, method }: SendTwoStepCodeInput,
    @Meta() meta: RequestMeta,
  ): Promise<SendTwoStepCodePayload> {
    return { challenge: toChallenge(await this.signIn.sendTwoStepCode(challengeId, method, meta)) };
  }

  @Mutation(() => CompleteTwoStepPayload, {
    description:
      "Finishes a two-step sign-in with a code of the chosen method; no session needed. Raises CODE_INVALID, CODE_EXPIRED, TOO_MANY_ATTEMPTS, RATE_LIMITED and BAD_USER_INPUT (PASSWORD is no second factor).",
  })
  completeTwoStep(
    @Arg("input", { description: "The challenge, the method and its code." }) { challengeId, method, code }: CompleteTwoStepInput,
    @Meta() meta: RequestMeta,
  ): Promise<SignedIn> {
    return this.signIn.completeTwoStep(challengeId, method, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => SetTwoStepVerificationPayload, {
    description:
      "Turns two-step sign-in on or off. Either way needs a signed-in session with a recent step-up (STEP_UP_REQUIRED); turning it on also needs a usable email, phone or authenticator app (BAD_USER_INPUT).",
  })
  async setTwoStepVerification(
    @Arg("input", { description: "On or off." }) { enabled }: SetTwoStepVerificationInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<SetTwoStepVerificationPayload> {
    return { account: await this.twoStep.set(auth, enabled, meta) };
  }
}
