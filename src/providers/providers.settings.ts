import { bool, int, settingsGroup } from "../core/env-settings";

export const providerSettings = settingsGroup(
  "Providers",
  {
    PROVIDER_TIMEOUT_MS: int(100, 60000, 5000, {
      description: "longest wait for an email, SMS, OAuth or identity vendor; past it `PROVIDER_UNAVAILABLE`",
    }),
    DEV_PROVIDERS: bool(undefined, {
      description:
        "serve local stand-ins for the providers that are not configured (`/dev/oauth/<provider>/authorize`, and " +
        "`IDENTITY_PROVIDER=dev`); refused in production, and the server refuses to start with them on unless `HOST` and " +
        "`PUBLIC_ORIGIN` are loopback (127.0.0.0/8, `::1`, `localhost`)",
      default: "on outside production",
    }),
    PROVIDER_SIGN_UP: bool(false, {
      description: "signing in with a provider account bound to nobody creates an account (without a password)",
    }),
  },
  "A provider whose settings are absent is not enabled (`Query.providers` says so) unless its dev stand-in is.",
).transform((values) => ({
  timeoutMs: values.PROVIDER_TIMEOUT_MS,
  devStandIns: values.DEV_PROVIDERS,
  /** Signing in with a provider identity bound to nobody creates an account. */
  signUpWithProviders: values.PROVIDER_SIGN_UP,
}));
