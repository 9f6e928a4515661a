import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback that the benchmarked server delivers its mail to (EMAIL_PROVIDER=smtp),
 * like tests/fakes/smtp.fake.ts but indexed by recipient, so the write path can look a code up in O(1)
 * while thousands of messages arrive.
 *
 * A code is stored before the server's DATA command is answered, and the API answers
 * startContactBinding only after its mail was accepted, so the code is here by the time the response is.
 */
export interface SmtpSink {
  /** `smtp://user:pass@127.0.0.1:PORT`, for SMTP_URL. */
  readonly url: string;
  /** Takes (and forgets) the newest code sent to `address`, or undefined. */
  takeCode(address: string): string | undefined;
  /** Messages received so far (codes and notices). */
  received(): number;
  stop(): Promise<void>;
}

const USER = "bench";
const PASSWORD = "bench-password";
const CODE = /验证码是 (\d{6})|verification code is (\d{6})/;

export async function startSmtpSink(): Promise<SmtpSink> {
  const codes = new Map<string, string>();
  let count = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    // Many parallel deliveries (nodemailer opens a connection per message).
    maxClients: 1000,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          count++;
          const match = CODE.exec(mail.text ?? "");
          if (match) {
            for (const rcpt of session.envelope.rcptTo) codes.set(rcpt.address.toLowerCase(), match[1] ?? match[2]);
          }
          callback();
        })
        .catch(callback);
    },
  });
  // A client that drops its connection (a server being stopped mid-delivery) is not our failure.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    takeCode(address) {
      const key = address.toLowerCase();
      const code = codes.get(key);
      codes.delete(key);
      return code;
    },
    received: () => count,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
