import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { CurrentAuth, Meta } from "../../graphql/current";
import { TotpService } from "./totp.service";
import {
  ConfirmTotpEnrollmentInput,
  ConfirmTotpEnrollmentPayload,
  DisableTotpInput,
  DisableTotpPayload,
  RegenerateRecoveryCodesPayload,
  StartTotpEnrollmentPayload,
} from "./totp.types";

@Resolver()
export class TotpResolver {
  constructor(private readonly totp: TotpService) {}

  @Authorized(SESSION_ONLY)
  @Mutation(() => StartTotpEnrollmentPayload, {
    description:
      "A new secret to scan; an active authenticator keeps working until the new one is confirmed. Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED), as does the confirmation.",
  })
  async startTotpEnrollment(@CurrentAuth() auth: Authenticated): Promise<StartTotpEnrollmentPayload> {
    return { enrollment: await this.totp.startEnrollment(auth) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => ConfirmTotpEnrollmentPayload, {
    description:
      "Activates the secret startTotpEnrollment gave, replacing any earlier app, and returns new recovery codes, shown once. Needs a recent step-up (STEP_UP_REQUIRED); CODE_INVALID for a wrong code, BAD_USER_INPUT when no enrolment was started.",
  })
  async confirmTotpEnrollment(
    @Arg("input", { description: "A code from the app." }) { code }: ConfirmTotpEnrollmentInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<ConfirmTotpEnrollmentPayload> {
    return { recoveryCodes: await this.totp.confirmEnrollment(auth, code, meta), account: auth.account };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => DisableTotpPayload, {
    description:
      "Removes the authenticator app and its recovery codes. Needs a current code from the app (CODE_INVALID) and a recent step-up (STEP_UP_REQUIRED); BAD_USER_INPUT when no app is set up.",
  })
  async disableTotp(
    @Arg("input", { description: "A current code from the app." }) { code }: DisableTotpInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<DisableTotpPayload> {
    return { account: await this.totp.disable(auth, code, meta) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RegenerateRecoveryCodesPayload, {
    description:
      "New recovery codes (the old ones stop working). Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED); BAD_USER_INPUT when no authenticator app is set up.",
  })
  async regenerateRecoveryCodes(@CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<RegenerateRecoveryCodesPayload> {
    return { recoveryCodes: await this.totp.regenerateRecoveryCodes(auth, meta), account: auth.account };
  }
}
