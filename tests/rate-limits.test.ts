import { randomBytes } from "node:crypto";
import { REDIS_URL, uniqueRedisPrefix } from "./helpers/databases";
import { DEFAULT_PASSWORD, LOGIN, REGISTER, registerSteppedUp, uniqueUsername } from "./helpers/accounts";
import { burstThen, codeOf, tally } from "./helpers/bursts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { bindContact, START_BINDING, uniqueEmail } from "./helpers/contacts";
import { codeNow, enrolTotp } from "./helpers/second-factors";
import { callbackUrl, START_BINDING as START_PROVIDER_BINDING, START_LOGIN as START_PROVIDER_LOGIN } from "./helpers/social";
import { sameDatabaseAs, startTestApp, type TestApp } from "./helpers/test-server";

const LIMITS = {
  TRUST_PROXY: "true", // lets each test speak from an address of its own through X-Forwarded-For
  RATE_LIMIT_LOGIN_IDENTIFIER: "3/900",
  RATE_LIMIT_LOGIN_IP: "5/900",
  RATE_LIMIT_REGISTER_IP: "3/3600",
  RATE_LIMIT_PASSWORD_ACCOUNT: "2/900",
  RATE_LIMIT_SECOND_FACTOR_ACCOUNT: "10/900",
  RATE_LIMIT_TAKEN_ACCOUNT: "2/3600",
  RATE_LIMIT_TAKEN_IP: "3/3600",
  RATE_LIMIT_PROVIDER_START_IP: "3/900",
  RATE_LIMIT_PROVIDER_START_ACCOUNT: "2/3600",
};

function randomIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

function from(client: GraphQLClient, ip = randomIp()): GraphQLClient {
  return client.with({ "x-forwarded-for": ip });
}

async function attempt(client: GraphQLClient, identifier: string, password: string) {
  return client.request(LOGIN, { input: { identifier, password } });
}

const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;
const REQUEST_STEP_UP = `mutation($m: VerificationMethod!) { requestStepUp(input: { method: $m }) { challenge { id } } }`;
const COMPLETE_STEP_UP = `mutation($id: ID!, $code: String!) { completeStepUp(input: { challengeId: $id, code: $code }) { account { id } } }`;

/**
 * 50 parallel tries check no more than the budget allows, on one process or spread over two
 * sharing Redis; the right answer sent while the burst is in flight, after the budget is spent, is
 * refused too. (`servers` gives the same server twice, or two processes of one deployment.)
 */
function burstsStayWithinBudgets(servers: () => [TestApp, TestApp]) {
  const on = (i: number) => servers()[i % 2];

  it("checks at most the identifier's budget of 50 parallel sign-ins", async () => {
    const user = await registerSteppedUp(from(on(0).client));
    const { burst, last } = await burstThen(
      50,
      (i) => attempt(from(on(i).client), user.username, `wrong-${i}`),
      3,
      () => attempt(from(on(1).client), user.username, DEFAULT_PASSWORD),
    );
    expect(tally(burst)).toEqual({ INVALID_CREDENTIALS: 3, RATE_LIMITED: 47 });
    expect(codeOf(last)).toBe("RATE_LIMITED");
  });

  it("checks at most the IP's budget of 50 parallel sign-ins at different names", async () => {
    const ip = randomIp();
    const user = await registerSteppedUp(from(on(0).client));
    const { burst, last } = await burstThen(
      50,
      (i) => attempt(from(on(i).client, ip), uniqueUsername("spray"), "Winter2026!"),
      5,
      () => attempt(from(on(1).client, ip), user.username, DEFAULT_PASSWORD),
    );
    expect(tally(burst)).toEqual({ INVALID_CREDENTIALS: 5, RATE_LIMITED: 45 });
    expect(codeOf(last)).toBe("RATE_LIMITED");
  });

  it("checks at most the account's budget of 50 parallel password changes", async () => {
    const user = await registerSteppedUp(from(on(0).client));
    const change = (i: number, oldPassword: string) =>
      on(i)
        .client.as(user.token)
        .request(CHANGE_PASSWORD, { input: { oldPassword, newPassword: "New-password-77" } });
    const { burst, last } = await burstThen(
      50,
      (i) => change(i, `wrong-${i}`),
      2,
      () => change(1, DEFAULT_PASSWORD),
    );
    expect(tally(burst)).toEqual({ INVALID_CREDENTIALS: 2, RATE_LIMITED: 48 });
    expect(codeOf(last)).toBe("RATE_LIMITED");
  });

  it("checks at most the account's budget of 50 parallel authenticator and recovery codes", async () => {
    const user = await registerSteppedUp(from(on(0).client));
    const { secret, recoveryCodes } = await enrolTotp(on(0), user.client);
    // A challenge allows five tries (CODE_MAX_ATTEMPTS), and opening one costs nothing: ten give 50.
    const challenges: { id: string; method: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const method = i % 2 ? "RECOVERY_CODE" : "TOTP";
      const client = on(i).client.as(user.token);
      challenges.push({ method, id: (await client.ok(REQUEST_STEP_UP, { m: method })).requestStepUp.challenge.id });
    }
    const guess = (i: number) => {
      const { id, method } = challenges[i % 10];
      return on(i + 1)
        .client.as(user.token)
        .request(COMPLETE_STEP_UP, { id, code: method === "TOTP" ? "000000" : "aaaaa-aaaaa" });
    };
    const { burst, last } = await burstThen(50, guess, 10, async () => {
      const client = on(1).client.as(user.token);
      const { requestStepUp } = await client.ok(REQUEST_STEP_UP, { m: "RECOVERY_CODE" });
      return client.request(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[0] });
    });
    expect(tally(burst)).toEqual({ CODE_INVALID: 10, RATE_LIMITED: 40 });
    expect(codeOf(last)).toBe("RATE_LIMITED");
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { m: "TOTP" });
    expect(codeOf(await user.client.request(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: codeNow(on(0), secret) }))).toBe(
      "RATE_LIMITED",
    );
  });
}

describe("with the in-process store", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(LIMITS);
  });
  afterAll(() => app.stop());

  describe("under bursts", () => burstsStayWithinBudgets(() => [app, app]));

  it("stops guessing one identifier, even with the right password, and says when to retry", async () => {
    const user = await registerSteppedUp(from(app.client));
    for (let i = 0; i < 3; i++) {
      const res = await attempt(from(app.client), user.username, `wrong-${i}`);
      expect(res.errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    }
    const blocked = await attempt(from(app.client), user.username, DEFAULT_PASSWORD);
    expect(blocked.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    const retry = blocked.errors?.[0].extensions?.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(900);
    // Any spelling of the identifier shares the budget.
    expect((await attempt(from(app.client), user.username.toUpperCase(), DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe(
      "RATE_LIMITED",
    );
  });

  it("limits an unknown identifier the same way, so the limit tells nothing about existence", async () => {
    const ghost = uniqueUsername("ghost");
    for (let i = 0; i < 3; i++) await attempt(from(app.client), ghost, `wrong-${i}`);
    expect((await attempt(from(app.client), ghost, "anything")).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });

  it("clears the identifier's failures after a successful sign-in", async () => {
    const user = await registerSteppedUp(from(app.client));
    const client = from(app.client);
    await attempt(client, user.username, "wrong-1");
    await attempt(client, user.username, "wrong-2");
    expect((await attempt(client, user.username, DEFAULT_PASSWORD)).data?.login.result.account.id).toBe(user.id);
    await attempt(client, user.username, "wrong-3");
    await attempt(client, user.username, "wrong-4");
    expect((await attempt(client, user.username, DEFAULT_PASSWORD)).data?.login.result.account.id).toBe(user.id);
  });

  it("stops one address guessing many identifiers, and only that address", async () => {
    const user = await registerSteppedUp(from(app.client));
    const sprayer = from(app.client);
    for (let i = 0; i < 5; i++) await attempt(sprayer, uniqueUsername("spray"), "Winter2026!");
    expect((await attempt(sprayer, user.username, DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    expect((await attempt(from(app.client), user.username, DEFAULT_PASSWORD)).data?.login.result.account.id).toBe(user.id);
  });

  it("limits sign-ups per address", async () => {
    const client = from(app.client);
    for (let i = 0; i < 3; i++) await registerSteppedUp(client);
    const error = await client.fails(REGISTER, { input: { username: uniqueUsername(), password: DEFAULT_PASSWORD } });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
  });

  it("limits the answers that an address or username is taken, per account and per IP, and then refuses every look-up alike", async () => {
    const owner = await registerSteppedUp(from(app.client));
    const email = uniqueEmail();
    await bindContact(app, owner.client, "EMAIL", email);
    const ip = randomIp();
    const prober = (await registerSteppedUp(from(app.client))).client.with({ "x-forwarded-for": ip });
    const bind = async (client: GraphQLClient, address: string) => codeOf(await client.request(START_BINDING, { kind: "EMAIL", address }));
    const rename = async (client: GraphQLClient, username: string) =>
      codeOf(await client.request(`mutation($u: String) { updateProfile(input: { username: $u }) { account { id } } }`, { u: username }));

    // A free answer costs nothing; two taken ones spend the account's budget, then even a free address is refused.
    expect([await bind(prober, uniqueEmail()), await bind(prober, email), await bind(prober, email)]).toEqual([
      "OK",
      "IDENTITY_TAKEN",
      "IDENTITY_TAKEN",
    ]);
    expect([await bind(prober, email), await bind(prober, uniqueEmail())]).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    // Another account from the same IP has one left of the IP's three.
    const second = (await registerSteppedUp(from(app.client))).client.with({ "x-forwarded-for": ip });
    expect([await rename(second, uniqueUsername()), await rename(second, owner.username), await rename(second, owner.username)]).toEqual([
      "OK",
      "USERNAME_TAKEN",
      "RATE_LIMITED",
    ]);
    // Elsewhere, the same account still gets its answers.
    expect(await rename(second.with({ "x-forwarded-for": randomIp() }), owner.username)).toBe("USERNAME_TAKEN");
  });

  it("limits provider sign-in starts per IP (an IPv6 /64 counting as one) and binding starts per account", async () => {
    const login = async (ip: string, redirectUri = callbackUrl(app)) =>
      codeOf(await from(app.client, ip).request(START_PROVIDER_LOGIN, { p: "QQ", r: redirectUri }));
    expect(await login("2001:db8:5:5::1", "https://evil.example.net/cb")).toBe("BAD_USER_INPUT"); // costs nothing
    expect([await login("2001:db8:5:5::1"), await login("2001:db8:5:5::2"), await login("2001:db8:5:5:ffff::3")]).toEqual([
      "OK",
      "OK",
      "OK",
    ]);
    expect(await login("2001:db8:5:5::4")).toBe("RATE_LIMITED");
    expect(await login("2001:db8:5:6::1")).toBe("OK");

    const user = await registerSteppedUp(from(app.client));
    const bind = async () => codeOf(await from(user.client).request(START_PROVIDER_BINDING, { p: "QQ", r: callbackUrl(app) }));
    expect([await bind(), await bind(), await bind()]).toEqual(["OK", "OK", "RATE_LIMITED"]);
  });

  it("limits wrong current passwords per account", async () => {
    const user = await registerSteppedUp(from(app.client));
    const change = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;
    for (let i = 0; i < 2; i++) {
      const error = await user.client.fails(change, { input: { oldPassword: `wrong-${i}`, newPassword: "New-password-77" } });
      expect(error.extensions?.code).toBe("INVALID_CREDENTIALS");
    }
    const error = await user.client.fails(change, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: "New-password-77" } });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
  });
});

describe("with Redis (REDIS_URL)", () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const env = { ...LIMITS, REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() };
    first = await startTestApp(env);
    second = await startTestApp({ ...env, ...sameDatabaseAs(first) });
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  describe("under bursts spread over two server processes", () => burstsStayWithinBudgets(() => [first, second]));

  it("shares the counts between server processes", async () => {
    const identifier = uniqueUsername("shared");
    for (let i = 0; i < 3; i++) {
      const res = await attempt(from(i % 2 ? first.client : second.client), identifier, `wrong-${i}`);
      expect(res.errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    }
    expect((await attempt(from(first.client), identifier, "again")).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    expect((await attempt(from(second.client), identifier, "again")).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });

  it("keeps the counts of another deployment on the same Redis (another REDIS_PREFIX) apart", async () => {
    const other = await startTestApp({ ...LIMITS, REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() });
    try {
      const identifier = uniqueUsername("apart");
      for (let i = 0; i < 3; i++) await attempt(from(first.client), identifier, `wrong-${i}`);
      expect((await attempt(from(first.client), identifier, "again")).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
      expect((await attempt(from(other.client), identifier, "again")).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    } finally {
      await other.stop();
    }
  });
});

describe("with Redis configured but unreachable", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...LIMITS, REDIS_URL: "redis://127.0.0.1:1", LOG_LEVEL: "silent" });
  });
  afterAll(() => app.stop());

  it("still serves, and still limits within the process", async () => {
    const user = await registerSteppedUp(from(app.client));
    for (let i = 0; i < 3; i++) await attempt(from(app.client), user.username, `wrong-${i}`);
    expect((await attempt(from(app.client), user.username, DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });
});
