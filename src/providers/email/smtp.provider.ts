import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { isLoopbackHost } from "../../core/loopback";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { EmailSender } from "../types";

/**
 * No STARTTLS where it is required, a certificate we cannot trust, refused credentials: our settings,
 * not the message. Otherwise SMTP response codes 4xx are temporary; 5xx permanent refusals of this
 * message or recipient.
 */
function toProviderError(error: unknown): ProviderError {
  const smtp = error as { responseCode?: number; code?: string; message?: string };
  if (smtp.code === "ETLS") {
    const why =
      typeof smtp.responseCode === "number"
        ? `the mail server offers no STARTTLS (it answered ${smtp.responseCode}); name one that does in SMTP_URL, or smtps://`
        : `TLS with the mail server failed (${smtp.message ?? "handshake"}); check SMTP_URL's host and its certificate`;
    return new ProviderError(ProviderErrorCode.MISCONFIGURED, `SMTP configuration error: ${why}`, smtp.code);
  }
  if (smtp.code === "EAUTH") {
    return new ProviderError(
      ProviderErrorCode.MISCONFIGURED,
      "SMTP configuration error: the mail server refused SMTP_URL's user name or password",
      smtp.code,
    );
  }
  if (typeof smtp.responseCode === "number" && smtp.responseCode >= 500) {
    return new ProviderError(ProviderErrorCode.REJECTED, `SMTP refused the message (${smtp.responseCode})`, String(smtp.responseCode));
  }
  if (smtp.responseCode === 421 || smtp.responseCode === 450 || smtp.responseCode === 451 || smtp.responseCode === 452) {
    return new ProviderError(
      ProviderErrorCode.UNAVAILABLE,
      `SMTP temporarily refused the message (${smtp.responseCode})`,
      String(smtp.responseCode),
    );
  }
  return new ProviderError(ProviderErrorCode.UNAVAILABLE, `SMTP failure: ${smtp.code ?? "unknown"}`, smtp.code);
}

/** Sends through nodemailer to `SMTP_URL` (smtp://user:pass@host:587 with STARTTLS, smtps://...:465). */
export function createSmtpEmailSender(settings: { url: string; from: string }, timeoutMs: number): EmailSender {
  const url = new URL(settings.url);
  const secure = url.protocol === "smtps:";
  // URL keeps an IPv6 literal's brackets (`[::1]`), which nodemailer would look up as a name.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const options: SMTPTransport.Options = {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // Outside loopback, refuse to send codes over an unencrypted connection.
    requireTLS: !secure && !isLoopbackHost(host),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  // Loaded on the first mail: its 39 modules would add ~0.1 s to every start-up.
  let transport: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;
  const transporter = () => (transport ??= import("nodemailer").then(({ default: nodemailer }) => nodemailer.createTransport(options)));
  return {
    id: "smtp",
    async send(to, message) {
      try {
        const info = await (
          await transporter()
        ).sendMail({
          from: settings.from,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
        return { deliveryId: String(info.messageId) };
      } catch (error) {
        throw toProviderError(error);
      }
    },
  };
}
