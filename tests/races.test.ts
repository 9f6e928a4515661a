import { DEFAULT_PASSWORD, REGISTER, registerSteppedUp, uniqueUsername } from "./helpers/accounts";
import { bindContact, START_BINDING, uniqueEmail } from "./helpers/contacts";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

function codes(results: { errors?: { extensions?: { code?: string } }[] }[]): string[] {
  return results.map((r) => r.errors?.[0].extensions?.code ?? "OK").sort();
}

it("gives a username raced by 10 sign-ups to exactly one of them, and the rest a clean USERNAME_TAKEN", async () => {
  const username = uniqueUsername("race");
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      app.client.request(REGISTER, { input: { username: i % 2 ? username : username.toUpperCase(), password: DEFAULT_PASSWORD } }),
    ),
  );
  expect(codes(results)).toEqual(["OK", ...Array(9).fill("USERNAME_TAKEN")]);
});

it("gives a username raced by 8 renames to exactly one account", async () => {
  const username = uniqueUsername("rename");
  const users = await Promise.all(Array.from({ length: 8 }, () => registerSteppedUp(app.client)));
  const results = await Promise.all(
    users.map((user) =>
      user.client.request(`mutation($u: String) { updateProfile(input: { username: $u }) { account { username } } }`, { u: username }),
    ),
  );
  expect(codes(results)).toEqual(["OK", ...Array(7).fill("USERNAME_TAKEN")]);
});

it("keeps 20 concurrent sign-ups of different names apart", async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      app.client.request(REGISTER, { input: { username: uniqueUsername("many"), password: DEFAULT_PASSWORD } }),
    ),
  );
  expect(codes(results)).toEqual(Array(20).fill("OK"));
  const ids = new Set(results.map((r) => r.data.register.account.id));
  expect(ids.size).toBe(20);
});

function codeMailsTo(address: string): number {
  return app.smtp.mailsTo(address).filter((mail) => /验证码是 \d{6}/.test(mail.text)).length;
}

it("sends one code to an address that 10 parallel requests ask for within the resend cooldown", async () => {
  const user = await registerSteppedUp(app.client);
  const email = uniqueEmail();
  const results = await Promise.all(
    Array.from({ length: 10 }, () => user.client.request(START_BINDING, { kind: "EMAIL", address: email })),
  );
  expect(codes(results)).toEqual(["OK", ...Array(9).fill("RATE_LIMITED")]);
  await app.smtp.codeFor(email);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(codeMailsTo(email)).toBe(1);
});

it("sends one two-step code for 10 parallel sends within the resend cooldown", async () => {
  const user = await registerSteppedUp(app.client);
  const email = uniqueEmail();
  await bindContact(app, user.client, "EMAIL", email);
  await user.client.ok(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`);
  const { login } = await app.client.ok(
    `mutation($input: LoginInput!) { login(input: $input) { result { ... on TwoStepChallenge { id } } } }`,
    {
      input: { identifier: user.username, password: DEFAULT_PASSWORD },
    },
  );
  const seen = codeMailsTo(email);
  const send = `mutation($id: ID!) { sendTwoStepCode(input: { challengeId: $id, method: EMAIL }) { challenge { id } } }`;
  const results = await Promise.all(Array.from({ length: 10 }, () => app.client.request(send, { id: login.result.id })));
  expect(codes(results)).toEqual(["OK", ...Array(9).fill("RATE_LIMITED")]);
  await eventually(() => (codeMailsTo(email) > seen ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(codeMailsTo(email)).toBe(seen + 1);
});
