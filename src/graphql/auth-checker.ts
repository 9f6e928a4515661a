import type { AuthCheckerFn } from "type-graphql";
import { assertThat } from "../errors";
import type { RequestContext } from "./context";

/** `@Authorized()` needs a valid session; an absent, unknown or expired token is UNAUTHENTICATED. */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context }) => {
  assertThat(context.auth, "UNAUTHENTICATED");
  return true;
};
