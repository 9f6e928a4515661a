import { createParameterDecorator } from "type-graphql";
import { assertThat } from "../errors";
import type { AccountEntity, SessionEntity } from "../entities";
import { requireSession, type Authenticated, type RequestContext, type RequestMeta } from "./context";

/** The signed-in account with the session of this request. */
export function CurrentAuth() {
  return createParameterDecorator<RequestContext>(({ context }): Authenticated => {
    assertThat(context.auth, "UNAUTHENTICATED");
    return context.auth;
  });
}

/** The signed-in account; use on `@Authorized()` operations. */
export function CurrentAccount() {
  return createParameterDecorator<RequestContext>(({ context }): AccountEntity => {
    assertThat(context.auth, "UNAUTHENTICATED");
    return context.auth.account;
  });
}

/** The session the request was made with; FORBIDDEN when an API key made it. */
export function CurrentSession() {
  return createParameterDecorator<RequestContext>(({ context }): SessionEntity => {
    assertThat(context.auth, "UNAUTHENTICATED");
    return requireSession(context.auth);
  });
}

/** IP and user agent of the request, for sessions and audit events. */
export function Meta() {
  return createParameterDecorator<RequestContext>(({ context }): RequestMeta => context.meta);
}
