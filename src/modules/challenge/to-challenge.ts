import type { ChallengeEntity } from "../../entities";
import { maskAddress } from "../contact/contact-address";
import { contactKindOf, isSentMethod } from "../factors/vocabulary";
import type { Challenge } from "./challenge.types";

/** What a client may see of a challenge: never the code or the full address. */
export function toChallenge(challenge: ChallengeEntity): Challenge {
  const { channel } = challenge;
  // A two-step challenge before any method is chosen is shown as a TwoStepChallenge, never here.
  if (channel === null) throw new Error("a challenge without a method has no Challenge form");
  const sent = isSentMethod(channel);
  return {
    id: challenge.id,
    method: channel,
    maskedTarget: sent ? maskAddress(contactKindOf(channel), challenge.target) : null,
    expiresAt: challenge.expiresAt,
    resendAvailableAt: sent ? challenge.resendAvailableAt : null,
  };
}
