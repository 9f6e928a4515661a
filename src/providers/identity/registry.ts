import type { Config } from "../../config";
import type { Clock } from "../../core/clock";
import type { IdentityVerifier } from "../types";
import { createAlipayIdentityVerifier } from "./alipay.verifier";
import { createDevIdentityVerifier, type DevIdentityVerifier } from "./dev.verifier";

export interface IdentityVerifiers {
  /** The configured verifier; undefined when real-name verification is not offered. */
  readonly verifier: IdentityVerifier | undefined;
  /** The dev stand-in when it is the one in use, for its local page. */
  readonly devStandIn: DevIdentityVerifier | undefined;
}

export function createIdentityVerifiers(config: Config, clock: Clock): IdentityVerifiers {
  const { alipay, timeoutMs } = config.providers;
  if (config.realName.provider === "alipay" && alipay) {
    return { verifier: createAlipayIdentityVerifier(alipay, timeoutMs, clock), devStandIn: undefined };
  }
  if (config.realName.provider === "dev") {
    const dev = createDevIdentityVerifier(config.publicOrigin);
    return { verifier: dev, devStandIn: dev };
  }
  return { verifier: undefined, devStandIn: undefined };
}
