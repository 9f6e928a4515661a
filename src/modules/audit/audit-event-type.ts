/** What the security log records. Stable strings: clients may filter or translate them. */
export enum AuditEventType {
  ACCOUNT_CREATED = "ACCOUNT_CREATED",
  SIGN_IN = "SIGN_IN",
  SIGN_IN_FAILED = "SIGN_IN_FAILED",
  SIGN_OUT = "SIGN_OUT",
  SESSION_REVOKED = "SESSION_REVOKED",
  PROFILE_UPDATED = "PROFILE_UPDATED",
  PASSWORD_CHANGED = "PASSWORD_CHANGED",
  PASSWORD_CHANGE_FAILED = "PASSWORD_CHANGE_FAILED",
}
