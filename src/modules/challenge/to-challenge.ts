import type { ChallengeEntity } from "../../entities";
import { maskAddress } from "../contact/contact-address";
import { VerificationMethod } from "../two-step/two-step.types";
import type { Challenge } from "./challenge.types";

/** What a client may see of a challenge: never the code or the full address. */
export function toChallenge(challenge: ChallengeEntity): Challenge {
  return {
    id: challenge.id,
    method: challenge.channel === "EMAIL" ? VerificationMethod.EMAIL : VerificationMethod.SMS,
    maskedTarget: maskAddress(challenge.channel, challenge.target),
    expiresAt: challenge.expiresAt,
    resendAvailableAt: challenge.resendAvailableAt,
  };
}
