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

export function providerErrorToAppError(error: ProviderError): AppError {
  switch (error.code) {
    case ProviderErrorCode.RATE_LIMITED:
      return new AppError("RATE_LIMITED", { retryAfterSeconds: 60 });
    case ProviderErrorCode.UNAVAILABLE:
      return new AppError("PROVIDER_UNAVAILABLE");
    default:
      return new AppError("PROVIDER_ERROR");
  }
}
