import { AppError } from "../errors";

/** The closed set of ways a provider call fails; mapped once, at the boundary, to API error codes. */
export enum ProviderErrorCode {
  /** Our request was refused for a reason of ours: bad number, unapproved template, bad signature. */
  REJECTED = "REJECTED",
  /** The vendor throttled us or this recipient. */
  RATE_LIMITED = "RATE_LIMITED",
  /** Time-out, network failure, 5xx, or a vendor-side internal error: try again later. */
  UNAVAILABLE = "UNAVAILABLE",
  /** The vendor answered something we cannot read or trust. */
  INVALID_RESPONSE = "INVALID_RESPONSE",
  /** The adapter cannot send this kind of message (e.g. no notice template configured). */
  UNSUPPORTED = "UNSUPPORTED",
  /** Our settings are wrong (a mail server without STARTTLS, refused credentials): an operator must fix them. */
  MISCONFIGURED = "MISCONFIGURED",
}

/** True for a vendor code `family` itself and its sub-codes, e.g. `LimitExceeded.PhoneNumberDailyLimit`. */
export function inFamily(code: string, family: string): boolean {
  return code === family || code.startsWith(`${family}.`);
}

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    /** The vendor's own error code, e.g. `isv.BUSINESS_LIMIT_CONTROL`, for logs. */
    readonly vendorCode?: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** How loudly to log a failed send: a configuration error needs an operator, a missing notice template nobody. */
export function failureLogLevel(error: ProviderError): "error" | "warn" | "info" {
  if (error.code === ProviderErrorCode.MISCONFIGURED) return "error";
  return error.code === ProviderErrorCode.UNSUPPORTED ? "info" : "warn";
}

export function providerErrorToAppError(error: ProviderError): AppError {
  switch (error.code) {
    case ProviderErrorCode.RATE_LIMITED:
      return new AppError("RATE_LIMITED", { retryAfterSeconds: 60 });
    case ProviderErrorCode.UNAVAILABLE:
    case ProviderErrorCode.MISCONFIGURED:
      // Nothing the caller can change: the same as a vendor that is down, until an operator acts.
      return new AppError("PROVIDER_UNAVAILABLE");
    default:
      return new AppError("PROVIDER_ERROR");
  }
}
