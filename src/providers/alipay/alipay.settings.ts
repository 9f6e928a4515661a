import { required, settingsGroup, text } from "../../core/env-settings";

/** PEM keys often arrive in env files with `\n` escapes. */
function pem(raw: string): string {
  return raw.replace(/\\n/g, "\n");
}

export const alipaySettings = settingsGroup(
  "Alipay",
  {
    ALIPAY_APP_ID: text(undefined, {
      description: "the Alipay Open Platform app's `app_id` (sign-in with `auth_user`, real-name verification)",
    }),
    ALIPAY_PRIVATE_KEY: text(undefined, {
      description:
        "the app's RSA private key, which signs every request (RSA2): PEM or the bare base64 the console shows (`\\n` escapes allowed)",
    }),
    ALIPAY_PUBLIC_KEY: text(undefined, {
      description: "Alipay's RSA public key, which verifies every response: PEM or bare base64 (`\\n` escapes allowed)",
    }),
    ALIPAY_GATEWAY: text("https://openapi.alipay.com/gateway.do", { description: "the OpenAPI gateway (`gateway.do`)" }),
    ALIPAY_AUTHORIZE_URL: text("https://openauth.alipay.com/oauth2/publicAppAuthorize.htm", {
      description: "the user authorization page (`publicAppAuthorize.htm`)",
    }),
  },
  "Alipay sign-in, binding and real-name verification are offered while `ALIPAY_APP_ID` is set.",
).transform((values, ctx) => {
  if (values.ALIPAY_APP_ID === undefined) return undefined;
  const because = "ALIPAY_APP_ID is set";
  return {
    appId: values.ALIPAY_APP_ID,
    /** The app's RSA private key (PEM, or the bare base64 the Alipay console shows). */
    privateKey: pem(required(ctx.issues, values, "ALIPAY_PRIVATE_KEY", because)),
    /** Alipay's RSA public key, for verifying every response (PEM or bare base64). */
    alipayPublicKey: pem(required(ctx.issues, values, "ALIPAY_PUBLIC_KEY", because)),
    /** `.../gateway.do` */
    gateway: values.ALIPAY_GATEWAY,
    /** `.../oauth2/publicAppAuthorize.htm` */
    authorizeUrl: values.ALIPAY_AUTHORIZE_URL,
  };
});
