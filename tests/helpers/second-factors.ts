import { completeStepUp } from "./accounts";
import { COMPLETE_STEP_UP } from "./contacts";
import type { GraphQLClient } from "./graphql-client";
import type { TestApp } from "./test-server";
import { totp } from "./totp";

export const START_TOTP = `mutation { startTotpEnrollment { enrollment { secret otpauthUri qrCodeDataUrl } } }`;
export const CONFIRM_TOTP = `mutation($code: String!) { confirmTotpEnrollment(input: { code: $code }) { recoveryCodes } }`;
export const SECURITY = `{ me { security { hasPassword totpEnabled twoStepEnabled twoStepMethods recoveryCodesRemaining } } }`;

/** The authenticator app's code now (by the server's clock). */
export function codeNow(app: TestApp, secret: string): string {
  return totp(secret, app.clock.now());
}

/**
 * Enrols an authenticator for the account and returns its secret and recovery codes. Moves the
 * clock to the next 30 s step afterwards, so the caller's next code is not a replay of this one.
 */
export async function enrolTotp(app: TestApp, client: GraphQLClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { startTotpEnrollment } = await client.ok(START_TOTP);
  const { confirmTotpEnrollment } = await client.ok(CONFIRM_TOTP, { code: codeNow(app, startTotpEnrollment.enrollment.secret) });
  app.clock.advanceSeconds(30);
  return { secret: startTotpEnrollment.enrollment.secret, recoveryCodes: confirmTotpEnrollment.recoveryCodes };
}

/** Steps up this session with the authenticator (a fresh step's code) or a recovery code. */
export async function stepUpWith(client: GraphQLClient, method: "TOTP" | "RECOVERY_CODE", code: string): Promise<void> {
  const { requestStepUp } = await client.ok(
    `mutation($m: VerificationMethod!) { requestStepUp(input: { method: $m }) { challenge { id } } }`,
    {
      m: method,
    },
  );
  await completeStepUp(client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
}
