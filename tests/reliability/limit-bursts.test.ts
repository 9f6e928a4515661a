import { randomBytes } from "node:crypto";
import path from "node:path";
import { DEFAULT_PASSWORD, LOGIN, registerSteppedUp, uniqueUsername, type RegisteredUser } from "../helpers/accounts";
import { burstThen, codeOf, tally } from "../helpers/bursts";
import { createTestDatabase, REDIS_URL, TEST_DATABASE, uniqueRedisPrefix, type TestDatabase } from "../helpers/databases";
import { freePort } from "../helpers/free-port";
import { GraphQLClient, type GraphQLResponse } from "../helpers/graphql-client";
import { START_TOTP, CONFIRM_TOTP } from "../helpers/second-factors";
import { totp } from "../helpers/totp";
import { buildServer, realServerEnv, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * Item 3 of the hardening issue, on the real thing: two `node dist/src/main.js` processes of one
 * deployment (one database, one Redis under a REDIS_PREFIX of their own), and bursts of 50 parallel
 * requests spread over both. Every limiter that guards a check an attacker would repeat grants
 * exactly its budget, however the burst is spread, and the right answer sent while the burst is in
 * flight, after the budget is spent, is refused as well.
 */

const BUDGET = 10;
const BURST = 50;
const CALLBACK_PATH = "/oauth/callback";

const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;
const REQUEST_STEP_UP = `mutation($m: VerificationMethod!) { requestStepUp(input: { method: $m }) { challenge { id } } }`;
const COMPLETE_STEP_UP = `mutation($id: ID!, $code: String!) { completeStepUp(input: { challengeId: $id, code: $code }) { account { id } } }`;
const REQUEST_RESET = `mutation($identifier: String!) { requestPasswordReset(input: { identifier: $identifier }) { identifier } }`;
const START_PROVIDER_LOGIN = `mutation($r: String!) { startProviderLogin(input: { provider: QQ, redirectUri: $r }) { authorization { state } } }`;

function randomIp(): string {
  return `10.${[...randomBytes(3)].join(".")}`;
}

describe(`bursts against two real server processes sharing Redis (${TEST_DATABASE})`, () => {
  let build: BuiltServer;
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  /** A client of the i-th request's process (they alternate), speaking from `ip`. */
  const client = (i: number, ip = randomIp()) => new GraphQLClient(servers[i % 2].url).with({ "x-forwarded-for": ip });

  beforeAll(async () => {
    build = buildServer();
    database = await createTestDatabase();
    const env = await realServerEnv(database.env, {
      TRUST_PROXY: "true",
      REDIS_URL,
      REDIS_PREFIX: uniqueRedisPrefix(),
      RATE_LIMIT_LOGIN_IDENTIFIER: `${BUDGET}/900`,
      RATE_LIMIT_LOGIN_IP: `${BUDGET}/900`,
      RATE_LIMIT_PASSWORD_ACCOUNT: `${BUDGET}/900`,
      RATE_LIMIT_SECOND_FACTOR_ACCOUNT: `${BUDGET}/900`,
      RATE_LIMIT_CODE_IP: `${BUDGET}/3600`,
      RATE_LIMIT_PROVIDER_START_IP: `${BUDGET}/900`,
    });
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      // One deployment: one public origin (the first process's) for OAuth redirects.
      const processEnv = { ...env, PORT: String(port), PUBLIC_ORIGIN: `http://127.0.0.1:${ports[0]}` };
      servers.push(await startServerProcess(build.mainJs, processEnv, path.join(build.dir, `server-${i}.log`)));
    }
  }, 150_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
    build?.remove();
  });

  async function expectBudgetHolds(
    call: (i: number) => Promise<GraphQLResponse>,
    checkedCode: string,
    right: () => Promise<GraphQLResponse>,
  ): Promise<void> {
    const { burst, last } = await burstThen(BURST, call, BUDGET, right);
    expect(tally(burst)).toEqual({ [checkedCode]: BUDGET, RATE_LIMITED: BURST - BUDGET });
    expect(codeOf(last)).toBe("RATE_LIMITED");
  }

  async function newUser(): Promise<RegisteredUser> {
    return registerSteppedUp(client(0));
  }

  it("sign-in guesses at one identifier, each from another IP", async () => {
    const user = await newUser();
    await expectBudgetHolds(
      (i) => client(i).request(LOGIN, { input: { identifier: user.username, password: `wrong-${i}` } }),
      "INVALID_CREDENTIALS",
      () => client(1).request(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } }),
    );
  });

  it("sign-in guesses from one IP, each at another name", async () => {
    const ip = randomIp();
    const user = await newUser();
    await expectBudgetHolds(
      (i) => client(i, ip).request(LOGIN, { input: { identifier: uniqueUsername("spray"), password: "Winter2026!" } }),
      "INVALID_CREDENTIALS",
      () => client(1, ip).request(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } }),
    );
  });

  it("current-password guesses with one stolen session", async () => {
    const user = await newUser();
    const change = (i: number, oldPassword: string) =>
      client(i)
        .as(user.token)
        .request(CHANGE_PASSWORD, { input: { oldPassword, newPassword: "New-password-77" } });
    await expectBudgetHolds(
      (i) => change(i, `wrong-${i}`),
      "INVALID_CREDENTIALS",
      () => change(1, DEFAULT_PASSWORD),
    );
  });

  it("authenticator and recovery-code guesses over many challenges", async () => {
    const user = await newUser();
    const signedIn = (i: number) => client(i).as(user.token);
    const { startTotpEnrollment } = await signedIn(0).ok(START_TOTP);
    const {
      confirmTotpEnrollment: { recoveryCodes },
    } = await signedIn(0).ok(CONFIRM_TOTP, {
      code: totp(startTotpEnrollment.enrollment.secret, new Date()),
    });
    // Five tries per challenge (CODE_MAX_ATTEMPTS), and opening one costs nothing: ten give the burst its 50.
    const challenges: { id: string; code: string }[] = [];
    for (let i = 0; i < BURST / 5; i++) {
      const m = i % 2 ? "RECOVERY_CODE" : "TOTP";
      challenges.push({
        id: (await signedIn(i).ok(REQUEST_STEP_UP, { m })).requestStepUp.challenge.id,
        code: m === "TOTP" ? "000000" : "aaaaa-aaaaa",
      });
    }
    await expectBudgetHolds(
      (i) => signedIn(i + 1).request(COMPLETE_STEP_UP, challenges[i % challenges.length]),
      "CODE_INVALID",
      async () => {
        const { requestStepUp } = await signedIn(1).ok(REQUEST_STEP_UP, { m: "RECOVERY_CODE" });
        return signedIn(1).request(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[0] });
      },
    );
  });

  it("password-reset requests and provider sign-in starts from one IP", async () => {
    const burst = (call: (i: number) => Promise<GraphQLResponse>) => Promise.all(Array.from({ length: BURST }, (_, i) => call(i)));
    const ip = randomIp();
    const resets = await burst((i) => client(i, ip).request(REQUEST_RESET, { identifier: `${uniqueUsername("r")}@example.com` }));
    expect(tally(resets)).toEqual({ OK: BUDGET, RATE_LIMITED: BURST - BUDGET });
    const redirectUri = `${new URL(servers[0].url).origin}${CALLBACK_PATH}`;
    const starts = await burst((i) => client(i, ip).request(START_PROVIDER_LOGIN, { r: redirectUri }));
    expect(tally(starts)).toEqual({ OK: BUDGET, RATE_LIMITED: BURST - BUDGET });
  });
});
