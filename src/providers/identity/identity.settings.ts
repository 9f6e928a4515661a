import { int, oneOf, rateLimit, settingsGroup } from "../../core/env-settings";

export const realNameSettings = settingsGroup("Real-name verification", {
  IDENTITY_PROVIDER: oneOf(["dev", "alipay", "none"], undefined, {
    description:
      "real-name verification: `alipay` (needs the `ALIPAY_*` settings), `dev` (the local stand-in page " +
      "`/dev/identity/<reference>`, which passes the check, or fails it with `?result=fail`, and then returns to the " +
      "`returnUrl` when one was given; needs `DEV_PROVIDERS`), or `none` (not offered)",
    default: "`alipay` when configured, else `dev` where allowed, else `none`",
  }),
  REAL_NAME_MAX_ACCOUNTS_PER_ID: int(1, 100, 1, {
    description: "how many accounts one ID number may pass real-name verification on",
  }),
  REAL_NAME_PENDING_TIMEOUT_SECONDS: int(60, 23 * 3600, 1800, {
    description:
      'a check the provider still reports as not passed after this long is recorded FAILED (Alipay cannot tell "failed" from "not done yet")',
  }),
  REAL_NAME_POLL_INTERVAL_SECONDS: int(1, 3600, 10, {
    description:
      "reading a PENDING check (`me { realName }`, which the account center polls) asks the provider about it at most this often, whichever process serves the read; other reads answer from the stored status",
  }),
  RATE_LIMIT_REAL_NAME_ACCOUNT: rateLimit(5, 86400, { description: "real-name checks started per account" }),
  RATE_LIMIT_REAL_NAME_IP: rateLimit(20, 86400, { description: "real-name checks started per client IP" }),
}).transform((values) => ({
  /** Unset: decided with the vendors' settings (config.ts). */
  provider: values.IDENTITY_PROVIDER,
  maxAccountsPerIdNumber: values.REAL_NAME_MAX_ACCOUNTS_PER_ID,
  /** A check still not passed after this long counts as failed (Alipay answers "not passed" until it is done). */
  pendingTimeoutSeconds: values.REAL_NAME_PENDING_TIMEOUT_SECONDS,
  /** Reading a PENDING check (Account.realName) asks the provider about it at most this often. */
  pollIntervalSeconds: values.REAL_NAME_POLL_INTERVAL_SECONDS,
  realNameStartsPerAccount: values.RATE_LIMIT_REAL_NAME_ACCOUNT,
  realNameStartsPerIp: values.RATE_LIMIT_REAL_NAME_IP,
}));
