import { OperationTypeNode } from "graphql";
import type { AuthCheckerFn } from "type-graphql";
import { assertThat } from "../errors";
import { ApiKeyScope, scopesOf } from "../modules/api-key/api-key.service";
import type { RequestContext } from "./context";

/** A pseudo-role: the operation needs a person's session; an API key gets FORBIDDEN. */
export const SESSION_ONLY = "SESSION";

/**
 * `@Authorized()` needs a valid session or API key (else UNAUTHENTICATED). An API key needs the
 * ACCOUNT_READ (or ACCOUNT_WRITE) scope for queries and ACCOUNT_WRITE for mutations, and never passes SESSION_ONLY.
 * Other names are roles the account must hold, e.g. `@Authorized("SUPPORT")` (else FORBIDDEN).
 */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context, info }, roles) => {
  const { auth } = context;
  assertThat(auth, "UNAUTHENTICATED");
  if (auth.apiKey) {
    const scopes = scopesOf(auth.apiKey);
    const needed =
      info.operation.operation === OperationTypeNode.QUERY
        ? [ApiKeyScope.ACCOUNT_READ, ApiKeyScope.ACCOUNT_WRITE]
        : [ApiKeyScope.ACCOUNT_WRITE];
    assertThat(
      scopes.some((scope) => needed.includes(scope)),
      "FORBIDDEN",
    );
    assertThat(!roles.includes(SESSION_ONLY), "FORBIDDEN");
  }
  const held = new Set(auth.account.roles.split(" "));
  assertThat(
    roles.every((role) => role === SESSION_ONLY || held.has(role)),
    "FORBIDDEN",
  );
  return true;
};
