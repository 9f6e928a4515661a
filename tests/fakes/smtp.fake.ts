import type { AddressInfo } from "node:net";
import os from "node:os";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface FakeSmtpOptions {
  /**
   * Where to listen: loopback by default; `::1`; or a non-loopback address of this machine, where the
   * adapter requires the STARTTLS this server never offers (as a misconfigured relay would).
   */
  readonly host?: string;
}

/** An address of this machine that is not loopback, where the adapter requires STARTTLS. */
export function networkAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((info) => info && !info.internal && info.family === "IPv4")?.address;
  if (!address) throw new Error("this machine has no non-loopback IPv4 address to listen on");
  return address;
}

export interface FakeSmtp {
  /** `smtp://user:pass@HOST:PORT` (IPv6 in brackets), for SMTP_URL. */
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** Waits for the next mail to `address` after the `seen` first ones, and returns it. */
  waitForMail(address: string, seen?: number, timeoutMs?: number): Promise<ReceivedMail>;
  mailsTo(address: string): ReceivedMail[];
  /** The 6-digit code of the first code mail to `address` after the `seen` first mails, waiting for it. */
  codeFor(address: string, seen?: number): Promise<string>;
  /** Refuse the next message with this SMTP reply code (e.g. 550 mailbox unavailable, 451 try later). */
  refuseNext(responseCode: number): void;
  stop(): Promise<void>;
}

const USER = "mailer";
const PASSWORD = "mailer-password";

/**
 * A real SMTP server on loopback (smtp-server): it speaks the protocol, requires AUTH as a real
 * submission server does, and parses each message (mailparser) so tests read codes like a person would.
 */
export async function startFakeSmtp({ host = "127.0.0.1" }: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  let refusal: number | null = null;
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      if (refusal !== null) {
        const code = refusal;
        refusal = null;
        stream.resume();
        const error = Object.assign(new Error("refused by the test"), { responseCode: code });
        stream.on("end", () => callback(error));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
          });
          waiters.forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.server.address() as AddressInfo;

  const mailsTo = (address: string) => messages.filter((mail) => mail.to.includes(address.toLowerCase()));
  const waitForMail = (address: string, seen = 0, timeoutMs = 5000) =>
    new Promise<ReceivedMail>((resolve, reject) => {
      const check = () => {
        const mails = mailsTo(address);
        if (mails.length > seen) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(mails[mails.length - 1]);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no mail to ${address} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    url: `smtp://${USER}:${PASSWORD}@${host.includes(":") ? `[${host}]` : host}:${port}`,
    messages,
    mailsTo,
    waitForMail,
    async codeFor(address, seen = 0) {
      // Security notices arrive in the background and may come in between: skip them.
      for (let index = seen; ; index++) {
        await waitForMail(address, index);
        const match = /验证码是 (\d{6})/.exec(mailsTo(address)[index].text);
        if (match) return match[1];
      }
    },
    refuseNext(responseCode) {
      refusal = responseCode;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
