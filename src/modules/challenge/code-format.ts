/** A 6-digit code (sent, or from an authenticator app) or a recovery code like `k7qzm-2xp9d` (any case, hyphen or space optional). */
export const CODE_PATTERN = /^(\d{6}|[A-Za-z0-9]{5}[- ]?[A-Za-z0-9]{5})$/;
export const CODE_MESSAGE = "code must be the 6 digits you received or see in your app, or a recovery code";
