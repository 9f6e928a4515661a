/**
 * The small interfaces every vendor adapter implements. Providers never see entities or resolvers:
 * they get plain values and return plain values, and fail only with a ProviderError.
 */

export interface DeliveryReceipt {
  /** The vendor's id of the message (BizId, SerialNo, SMTP message id), for support and logs. */
  readonly deliveryId: string;
}

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface EmailSender {
  readonly id: "console" | "smtp";
  send(to: string, message: EmailMessage): Promise<DeliveryReceipt>;
}

/** Security events a user is told about on their bound contacts. */
export type SecurityNoticeEvent =
  | "PASSWORD_CHANGED"
  | "PASSWORD_SET"
  | "PASSWORD_RESET"
  | "CONTACT_BOUND"
  | "CONTACT_UNBOUND"
  | "CONTACT_REPLACED"
  | "PROVIDER_BOUND"
  | "PROVIDER_UNBOUND"
  | "TOTP_ENABLED"
  | "TOTP_DISABLED"
  | "RECOVERY_CODES_REGENERATED"
  | "TWO_STEP_ENABLED"
  | "TWO_STEP_DISABLED"
  | "API_KEY_CREATED"
  | "API_KEY_REVOKED"
  | "OTHER_SESSIONS_SIGNED_OUT"
  | "USERNAME_CHANGED";

/**
 * What an SMS carries. Vendors only send pre-approved templates: a verification-code template
 * (one variable, the code) and, when configured, a security-notice template (one variable, the event).
 */
export type SmsMessage =
  { readonly kind: "CODE"; readonly code: string } | { readonly kind: "NOTICE"; readonly event: SecurityNoticeEvent };

export interface SmsSender {
  readonly id: "console" | "aliyun" | "tencent";
  /** `phoneE164` is always E.164, e.g. `+8613812345678`. */
  send(phoneE164: string, message: SmsMessage): Promise<DeliveryReceipt>;
}

export type OAuthProviderKind = "WECHAT" | "QQ" | "ALIPAY";

/** Who consented at the provider, reduced to what we bind and show. */
export interface OAuthProfile {
  /**
   * The stable id we bind: WeChat/QQ `unionid` when present, else `openid`; Alipay `open_id`, else
   * `user_id`.
   */
  readonly subject: string;
  readonly displayName: string | null;
  readonly avatarUrl: string | null;
}

/**
 * A sign-in/binding provider. `authorizationUrl` is where the browser goes (or what a QR code holds);
 * the provider sends it back to `redirectUri` with a code and our `state`; `exchangeCode` turns the
 * code into a profile. Bad, used or expired codes fail with ProviderError(REJECTED); time-outs and 5xx
 * with UNAVAILABLE; unreadable or badly signed answers with INVALID_RESPONSE.
 */
export interface OAuthProvider {
  readonly kind: OAuthProviderKind;
  readonly id: "wechat" | "qq" | "alipay" | "dev";
  authorizationUrl(state: string, redirectUri: string): string;
  exchangeCode(code: string, redirectUri: string): Promise<OAuthProfile>;
}

export type IdentityCheckStatus = "PENDING" | "PASSED" | "FAILED";

export interface IdentityCheckRequest {
  /** Our id for the check (a UUID); adapters derive the vendor's order number from it. */
  readonly reference: string;
  readonly legalName: string;
  /** An 18-character resident ID number, already validated (GB 11643). */
  readonly idNumber: string;
  /** Where the provider sends the person back after the check; may be null. */
  readonly returnUrl: string | null;
}

export interface IdentityCheckStarted {
  /** The vendor's id of the check (Alipay certify_id), to query it later. */
  readonly vendorReference: string;
  /** The page the person opens, or scans as a QR code, to do the check. */
  readonly verifyUrl: string;
}

/** Why a provider failed a check: the person did not match the ID, or the check is gone (expired, unknown). */
export type IdentityFailureCode = "NOT_MATCHED" | "EXPIRED";

export interface IdentityCheckResult {
  readonly status: IdentityCheckStatus;
  /** For FAILED: why, for clients to word in their own language. */
  readonly failureCode?: IdentityFailureCode;
  /** For FAILED: why, in words a person can act on. */
  readonly reason?: string;
}

/**
 * Real-name verification (legal name + ID number + a face check at the provider). `query` may answer
 * PENDING for a check that is not finished; the caller decides when waiting turns into failure.
 * Provider failures are ProviderErrors, as for the other providers.
 */
export interface IdentityVerifier {
  readonly id: "alipay" | "dev";
  start(request: IdentityCheckRequest): Promise<IdentityCheckStarted>;
  query(vendorReference: string): Promise<IdentityCheckResult>;
}
