import { createSmtpEmailSender } from "../../src/providers/email/smtp.provider";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { networkAddress, startFakeSmtp, type FakeSmtp } from "../fakes/smtp.fake";
import { failure } from "../helpers/provider-failure";

const MESSAGE = { subject: "验证码", text: "您的验证码是 123456", html: "<p>您的验证码是 123456</p>" };

function sender(url: string) {
  return createSmtpEmailSender({ url, from: "no-reply@account.example.com" }, 3000);
}

const fakes: FakeSmtp[] = [];
async function fake(options: Parameters<typeof startFakeSmtp>[0]): Promise<FakeSmtp> {
  const started = await startFakeSmtp(options);
  fakes.push(started);
  return started;
}
afterAll(() => Promise.all(fakes.map((started) => started.stop())));

it("delivers to an IPv6 literal host, smtp://[::1]:PORT (the brackets are not part of the name)", async () => {
  const smtp = await fake({ host: "::1" });
  expect(smtp.url).toMatch(/@\[::1\]:\d+$/);
  await sender(smtp.url).send("alice@example.com", MESSAGE);
  expect((await smtp.waitForMail("alice@example.com")).subject).toBe("验证码");
});

it("calls a mail server that offers no STARTTLS off loopback a configuration error, and sends nothing in the clear", async () => {
  const smtp = await fake({ host: networkAddress() });
  const error = await failure(sender(smtp.url).send("bob@example.com", MESSAGE));
  expect(error).toMatchObject({ code: ProviderErrorCode.MISCONFIGURED, vendorCode: "ETLS" });
  expect(error.message).toMatch(/configuration error: the mail server offers no STARTTLS/);
  expect(smtp.messages).toEqual([]);
});

it("calls refused credentials a configuration error, not a refused message", async () => {
  const smtp = await fake({});
  const error = await failure(sender(smtp.url.replace(/:mailer-password@/, ":wrong@")).send("dave@example.com", MESSAGE));
  expect(error).toMatchObject({ code: ProviderErrorCode.MISCONFIGURED, vendorCode: "EAUTH" });
});

it("still calls a refused message a refusal, and a 4xx reply temporary", async () => {
  const smtp = await fake({});
  smtp.refuseNext(550);
  expect((await failure(sender(smtp.url).send("erin@example.com", MESSAGE))).code).toBe(ProviderErrorCode.REJECTED);
  smtp.refuseNext(451);
  expect((await failure(sender(smtp.url).send("erin@example.com", MESSAGE))).code).toBe(ProviderErrorCode.UNAVAILABLE);
});
