import Redis from "ioredis";
import { DEFAULT_PASSWORD, LOGIN, REGISTER, uniqueUsername } from "../helpers/accounts";
import { uniqueRedisPrefix } from "../helpers/databases";
import { startTestApp, type TestApp } from "../helpers/test-server";
import { errorCodes, postGraphQL } from "./support/invariants";
import { startPrivateRedis, type PrivateRedis } from "./support/private-services";

/**
 * A Redis that stops answering without closing its connections (SIGSTOP on a private redis-server):
 * with REDIS_COMMAND_TIMEOUT_MS every rate-limit command gives up in time and the in-process
 * insurance limiter answers, so sign-up, sign-in (right and wrong password) and sign-out, whose
 * cache clear is published through Redis, all answer promptly; thawed, it is used again.
 */

const COMMAND_TIMEOUT_MS = 300;
/** A few rate-limit commands in a row, each waiting its deadline, plus bcrypt on a busy machine. */
const ANSWER_BOUND_MS = 5000;

let redis: PrivateRedis;
let app: TestApp;
const prefix = uniqueRedisPrefix();

beforeAll(async () => {
  redis = await startPrivateRedis();
  app = await startTestApp({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) });
}, 60_000);

afterAll(async () => {
  redis?.thaw();
  await app?.stop();
  await redis?.stop();
});

async function timed(query: string, variables: Record<string, unknown>, token?: string) {
  const started = Date.now();
  const response = await postGraphQL(app.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {}, 20_000);
  return { ms: Date.now() - started, codes: errorCodes(response), data: response.json?.data as Record<string, any> | undefined };
}

it("answers sign-up, sign-in and sign-out promptly while Redis is frozen, and uses Redis again once it answers", async () => {
  const username = uniqueUsername("frozen");
  redis.freeze();
  try {
    const registered = await timed(REGISTER, { input: { username, password: DEFAULT_PASSWORD } });
    expect(registered.codes).toEqual([]);
    expect(registered.ms).toBeLessThan(ANSWER_BOUND_MS);

    const wrong = await timed(LOGIN, { input: { identifier: username, password: "not-the-password" } });
    expect(wrong.codes).toEqual(["INVALID_CREDENTIALS"]);
    expect(wrong.ms).toBeLessThan(ANSWER_BOUND_MS);

    const login = await timed(LOGIN, { input: { identifier: username, password: DEFAULT_PASSWORD } });
    expect(login.codes).toEqual([]);
    expect(login.ms).toBeLessThan(ANSWER_BOUND_MS);

    // Signing out empties the authentication cache and publishes the clear through Redis.
    const logout = await timed("mutation { logout { signedOutSessionId } }", {}, login.data?.login.result.token);
    expect(logout.codes).toEqual([]);
    expect(logout.ms).toBeLessThan(ANSWER_BOUND_MS);
  } finally {
    redis.thaw();
  }

  // Thawed: failures count in Redis again (a new identifier's counter appears there).
  const again = await timed(LOGIN, { input: { identifier: username, password: DEFAULT_PASSWORD } });
  expect(again.codes).toEqual([]);
  const direct = new Redis(redis.url);
  try {
    const counters = async () => (await direct.keys(`${prefix}:rl:login-identifier:*`)).length;
    const before = await counters();
    const wrongAgain = await timed(LOGIN, { input: { identifier: uniqueUsername("nobody"), password: "still-not-it" } });
    expect(wrongAgain.codes).toEqual(["INVALID_CREDENTIALS"]);
    expect(await counters()).toBe(before + 1);
  } finally {
    direct.disconnect();
  }
}, 60_000);
