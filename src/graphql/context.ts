import type { AccountEntity, ApiKeyEntity, SessionEntity } from "../entities";
import { assertThat } from "../errors";

/** Where a request came from; written into sessions and audit events. */
export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface Authenticated {
  readonly account: AccountEntity;
  /** The session of a signed-in person; null when an API key made the request. */
  readonly session: SessionEntity | null;
  /** The API key that made the request, if one did. */
  readonly apiKey: ApiKeyEntity | null;
}

/** The session of the request: operations that need a person (step-up, key creation) are FORBIDDEN to API keys. */
export function requireSession(auth: Authenticated): SessionEntity {
  assertThat(auth.session, "FORBIDDEN");
  return auth.session;
}

/** Who is asking: built once per request from the Authorization header. */
export interface RequestContext {
  readonly meta: RequestMeta;
  /** Replaced only when the request renews its own session's token (completeStepUp): the rest of it answers as the renewed session. */
  auth: Authenticated | null;
}
