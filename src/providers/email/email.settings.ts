import { oneOf, required, settingsGroup, text } from "../../core/env-settings";

export const emailSettings = settingsGroup("Email", {
  EMAIL_PROVIDER: oneOf(["console", "smtp"], "console", {
    description: "`smtp`, or `console` (messages written to the log; refused in production)",
  }),
  SMTP_URL: text(undefined, {
    description:
      "with `smtp`: `smtp://user:pass@host:587` (STARTTLS required except on loopback: 127.0.0.0/8, `::1`, `localhost`; " +
      "IPv6 literals in brackets, `smtp://[::1]:2525`) or `smtps://user:pass@host:465`. A server without STARTTLS, or one " +
      "that refuses the credentials, is logged at error level as a configuration error (`MISCONFIGURED`) and callers get " +
      "`PROVIDER_UNAVAILABLE`",
  }),
  EMAIL_FROM: text(undefined, { description: "with `smtp`: the sender address" }),
}).transform((values, ctx) => {
  if (values.EMAIL_PROVIDER === "console") return { kind: "console" as const };
  const because = "EMAIL_PROVIDER=smtp";
  return {
    kind: "smtp" as const,
    url: required(ctx.issues, values, "SMTP_URL", because),
    from: required(ctx.issues, values, "EMAIL_FROM", because),
  };
});
