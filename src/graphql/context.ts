import type { AccountEntity, SessionEntity } from "../entities";

/** Where a request came from; written into sessions and audit events. */
export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface Authenticated {
  readonly account: AccountEntity;
  readonly session: SessionEntity;
}

/** Who is asking: built once per request from the Authorization header. */
export interface RequestContext {
  readonly meta: RequestMeta;
  readonly auth: Authenticated | null;
}
