import type { ChallengeEntity } from "../../entities";
import { maskAddress } from "../contact/contact-address";
import { VerificationMethod } from "../two-step/two-step.types";

const METHOD_OF_CHANNEL = {
  EMAIL: VerificationMethod.EMAIL,
  SMS: VerificationMethod.SMS,
  TOTP: VerificationMethod.TOTP,
  RECOVERY_CODE: VerificationMethod.RECOVERY_CODE,
  PASSWORD: VerificationMethod.PASSWORD,
} as const;
import type { Challenge } from "./challenge.types";

/** What a client may see of a challenge: never the code or the full address. */
export function toChallenge(challenge: ChallengeEntity): Challenge {
  const { channel } = challenge;
  // A two-step challenge before any method is chosen is shown as a TwoStepChallenge, never here.
  if (channel === "NONE") throw new Error("a challenge without a method has no Challenge form");
  const sent = channel === "EMAIL" || channel === "SMS";
  return {
    id: challenge.id,
    method: METHOD_OF_CHANNEL[channel],
    maskedTarget: sent ? maskAddress(channel, challenge.target) : null,
    expiresAt: challenge.expiresAt,
    resendAvailableAt: sent ? challenge.resendAvailableAt : null,
  };
}
