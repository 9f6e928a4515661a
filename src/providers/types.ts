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
  | "PASSWORD_RESET"
  | "CONTACT_BOUND"
  | "CONTACT_UNBOUND"
  | "CONTACT_REPLACED"
  | "PROVIDER_BOUND"
  | "PROVIDER_UNBOUND";

/**
 * What an SMS carries. Vendors only send pre-approved templates: a verification-code template
 * (one variable, the code) and, when configured, a security-notice template (one variable, the event).
 */
export type SmsMessage =
  | { readonly kind: "CODE"; readonly code: string }
  | { readonly kind: "NOTICE"; readonly event: SecurityNoticeEvent };

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
