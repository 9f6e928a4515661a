import type { AuthCheckerFn } from "type-graphql";
import { assertThat } from "../errors";
import type { RequestContext } from "./context";

/**
 * `@Authorized()` needs a valid session (an absent, unknown or expired token is UNAUTHENTICATED);
 * `@Authorized("SUPPORT")` also needs every named role on the account (else FORBIDDEN).
 */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context }, roles) => {
  assertThat(context.auth, "UNAUTHENTICATED");
  const held = new Set(context.auth.account.roles.split(" "));
  assertThat(roles.every((role) => held.has(role)), "FORBIDDEN");
  return true;
};
