import { randomBytes } from "node:crypto";
import { ChallengeEntity } from "../src/entities";
import { DEFAULT_PASSWORD, registerSteppedUp } from "./helpers/accounts";
import { codeOf } from "./helpers/bursts";
import { bindContact, REQUEST_STEP_UP, sentCount, START_BINDING, uniqueEmail } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const REQUEST_RESET = `mutation($identifier: String!) { requestPasswordReset(input: { identifier: $identifier }) { identifier } }`;
const SET_TWO_STEP = `mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { result { ... on TwoStepChallenge { id } } } }`;
const SEND_TWO_STEP = `mutation($id: ID!) { sendTwoStepCode(input: { challengeId: $id, method: EMAIL }) { challenge { id } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    TRUST_PROXY: "true", // each test speaks from addresses of its own through X-Forwarded-For
    CODE_RESEND_COOLDOWN_SECONDS: "0",
    RATE_LIMIT_CODE_TARGET_HOUR: "4/3600",
    RATE_LIMIT_RESET_CODE_TARGET_HOUR: "2/3600",
    RATE_LIMIT_CODE_IP: "4/3600",
  });
});
afterAll(() => app.stop());

function from(client: GraphQLClient, ip = `10.${[...randomBytes(3)].join(".")}`): GraphQLClient {
  return client.with({ "x-forwarded-for": ip });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function resetChallengesTo(target: string): Promise<number> {
  return app.dataSource.getRepository(ChallengeEntity).countBy({ purpose: "PASSWORD_RESET", target });
}

/** Waits until the background sends of the reset requests so far are done: `count` challenges, and a moment for any refused one. */
async function resetChallengesSettle(target: string, count: number): Promise<void> {
  await eventually(async () => ((await resetChallengesTo(target)) >= count ? true : undefined));
  await pause(300);
}

describe("password-reset requests", () => {
  it("cannot use up the codes the owner signs in and steps up with", async () => {
    const user = await registerSteppedUp(from(app.client));
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    await user.client.ok(SET_TWO_STEP);

    for (let i = 0; i < 6; i++)
      expect((await from(app.client).ok(REQUEST_RESET, { identifier: email })).requestPasswordReset).toEqual({ identifier: email });
    await resetChallengesSettle(email, 2);

    const seen = sentCount(app, "EMAIL", email);
    expect(codeOf(await user.client.request(REQUEST_STEP_UP, { method: "EMAIL" }))).toBe("OK");
    await app.smtp.codeFor(email, seen);
    const { login } = await from(app.client).ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    expect(codeOf(await from(app.client).request(SEND_TWO_STEP, { id: login.result.id }))).toBe("OK");
    await app.smtp.codeFor(email, seen + 1);
    expect(await resetChallengesTo(email)).toBe(2); // of six requests, the address's own reset budget
  });

  it("spend the caller's code budget alike for a known and an unknown address", async () => {
    const user = await registerSteppedUp(from(app.client));
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    const known = from(app.client);
    const unknown = from(app.client);
    for (let i = 0; i < 2; i++) {
      await known.ok(REQUEST_RESET, { identifier: email });
      await unknown.ok(REQUEST_RESET, { identifier: uniqueEmail() });
    }
    await resetChallengesSettle(email, 2);
    // Two of the four codes each address may ask for are spent; a signed-in person there gets two more.
    const bindingCodes = async (ip: GraphQLClient) => {
      const client = ip.as(user.token);
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(codeOf(await client.request(START_BINDING, { kind: "PHONE", address: `+8613900${String(i).padStart(6, "0")}` })));
      return answers;
    };
    expect(await bindingCodes(known)).toEqual(["OK", "OK", "RATE_LIMITED"]);
    expect(await bindingCodes(unknown)).toEqual(["OK", "OK", "RATE_LIMITED"]);
  });
});
