import type { Config } from "../../config";
import type { IdentityVerifier } from "../types";
import { createDevIdentityVerifier, type DevIdentityVerifier } from "./dev.verifier";

export interface IdentityVerifiers {
  /** The configured verifier; undefined when real-name verification is not offered. */
  readonly verifier: IdentityVerifier | undefined;
  /** The dev stand-in when it is the one in use, for its local page. */
  readonly devStandIn: DevIdentityVerifier | undefined;
}

export function createIdentityVerifiers(config: Config): IdentityVerifiers {
  if (config.realName.provider === "dev") {
    const dev = createDevIdentityVerifier(config.publicOrigin);
    return { verifier: dev, devStandIn: dev };
  }
  return { verifier: undefined, devStandIn: undefined };
}
