import { randomBytes } from "node:crypto";
import { REDIS_URL, uniqueRedisPrefix } from "./helpers/databases";
import { DEFAULT_PASSWORD, LOGIN, REGISTER, registerUser, uniqueUsername } from "./helpers/accounts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { startTestApp, type TestApp } from "./helpers/test-server";

const LIMITS = {
  TRUST_PROXY: "true", // lets each test speak from an address of its own through X-Forwarded-For
  RATE_LIMIT_LOGIN_IDENTIFIER: "3/900",
  RATE_LIMIT_LOGIN_IP: "5/900",
  RATE_LIMIT_REGISTER_IP: "3/3600",
  RATE_LIMIT_PASSWORD_ACCOUNT: "2/900",
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

describe("with the in-process store", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(LIMITS);
  });
  afterAll(() => app.stop());

  it("stops guessing one identifier, even with the right password, and says when to retry", async () => {
    const user = await registerUser(from(app.client));
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
    expect((await attempt(from(app.client), user.username.toUpperCase(), DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });

  it("limits an unknown identifier the same way, so the limit tells nothing about existence", async () => {
    const ghost = uniqueUsername("ghost");
    for (let i = 0; i < 3; i++) await attempt(from(app.client), ghost, `wrong-${i}`);
    expect((await attempt(from(app.client), ghost, "anything")).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });

  it("clears the identifier's failures after a successful sign-in", async () => {
    const user = await registerUser(from(app.client));
    const client = from(app.client);
    await attempt(client, user.username, "wrong-1");
    await attempt(client, user.username, "wrong-2");
    expect((await attempt(client, user.username, DEFAULT_PASSWORD)).data?.login.account.id).toBe(user.id);
    await attempt(client, user.username, "wrong-3");
    await attempt(client, user.username, "wrong-4");
    expect((await attempt(client, user.username, DEFAULT_PASSWORD)).data?.login.account.id).toBe(user.id);
  });

  it("stops one address guessing many identifiers, and only that address", async () => {
    const user = await registerUser(from(app.client));
    const sprayer = from(app.client);
    for (let i = 0; i < 5; i++) await attempt(sprayer, uniqueUsername("spray"), "Winter2026!");
    expect((await attempt(sprayer, user.username, DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    expect((await attempt(from(app.client), user.username, DEFAULT_PASSWORD)).data?.login.account.id).toBe(user.id);
  });

  it("limits sign-ups per address", async () => {
    const client = from(app.client);
    for (let i = 0; i < 3; i++) await registerUser(client);
    const error = await client.fails(REGISTER, { input: { username: uniqueUsername(), password: DEFAULT_PASSWORD } });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
  });

  it("limits wrong current passwords per account", async () => {
    const user = await registerUser(from(app.client));
    const change = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
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
    second = await startTestApp(env);
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

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
    const user = await registerUser(from(app.client));
    for (let i = 0; i < 3; i++) await attempt(from(app.client), user.username, `wrong-${i}`);
    expect((await attempt(from(app.client), user.username, DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  });
});
