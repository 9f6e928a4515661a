import { randomBytes } from "node:crypto";
import {
  COMPLETE_PASSWORD_STEP_UP,
  completeStepUp,
  DEFAULT_PASSWORD,
  letStepUpLapse,
  REQUEST_PASSWORD_STEP_UP,
  auditTypes,
  registerSteppedUp,
  registerUser,
  renewing,
} from "./helpers/accounts";
import { bindContact, CONFIRM_BINDING, REQUEST_STEP_UP, START_BINDING, stepUp, uniqueEmail } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { codeNow, CONFIRM_TOTP, enrolTotp, START_TOTP, stepUpWith } from "./helpers/second-factors";
import { bindProvider, callbackUrl, consent, LOGIN_WITH, START_LOGIN, UNBIND } from "./helpers/social";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { NOTICE_TEXT } from "../src/modules/notice/notice-messages";

/** Issue 16 item 1: what a session may add without a step-up, and when a new factor starts to count. */

const SECURITY = `{ me { email { masked usableFrom } security { totpEnabled totpUsableFrom twoStepMethods stepUpMethods } } }`;
const SET_TWO_STEP = `mutation($on: Boolean!) { setTwoStepVerification(input: { enabled: $on }) { account { security { twoStepEnabled } } } }`;
const REQUEST_RESET = `mutation($identifier: String!) { requestPasswordReset(input: { identifier: $identifier }) { identifier } }`;
const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;
const CREATE_KEY = `mutation { createApiKey(input: { name: "script" }) { secret apiKey { id usableFrom } } }`;
const KEYS = `{ me { apiKeys { nodes { id usableFrom } } } }`;
const COOLDOWN_SECONDS = 86400;
const PASSWORD_BUDGET = 3;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ PROVIDER_SIGN_UP: "true", RATE_LIMIT_PASSWORD_ACCOUNT: `${PASSWORD_BUDGET}/900` });
});
afterAll(() => app.stop());

/** Signs in with the dev stand-in's `user` of `provider`: the request's outcome, answer or error. */
async function signInWith(provider: string, user: string) {
  const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: provider, r: callbackUrl(app) });
  const { code, state } = await consent(startProviderLogin.authorization.authorizeUrl, user);
  return app.client.request(LOGIN_WITH, { p: provider, c: code, s: state });
}

/** A new account made by signing in with WeChat: no password, no second factor, nothing to step up with. */
async function providerOnlyAccount(user = `p${randomBytes(5).toString("hex")}`): Promise<GraphQLClient> {
  const { data } = await signInWith("WECHAT", user);
  return app.client.as(data!.loginWithProvider.result.token);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("a first email on an account with an authenticator", () => {
  it("needs a step-up to start and to confirm", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await enrolTotp(app, user.client);
    await letStepUpLapse(app, user);
    const email = uniqueEmail("first");
    expect((await user.client.fails(START_BINDING, { kind: "EMAIL", address: email })).extensions?.code).toBe("STEP_UP_REQUIRED");
    expect(app.smtp.mailsTo(email)).toHaveLength(0);

    await stepUpWith(user.client, "TOTP", codeNow(app, secret));
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    const code = await app.smtp.codeFor(email);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code })).extensions?.code).toBe(
      "STEP_UP_REQUIRED",
    );
    expect((await user.client.ok(SECURITY)).me.email).toBeNull();
  });
});

describe("the PASSWORD step-up", () => {
  it("is offered only while the account has no second factor", async () => {
    const user = await registerUser(app.client);
    expect((await user.client.ok(SECURITY)).me.security.stepUpMethods).toEqual(["PASSWORD"]);
    const { requestStepUp } = await user.client.ok(REQUEST_PASSWORD_STEP_UP);
    expect(requestStepUp.challenge).toEqual({ id: expect.any(String), method: "PASSWORD", maskedTarget: null });
    expect(
      (await user.client.fails(COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password: "not-the-password" })).extensions
        ?.code,
    ).toBe("CODE_INVALID");
    await completeStepUp(user.client, COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password: DEFAULT_PASSWORD });

    const email = uniqueEmail("pw");
    await bindContact(app, user.client, "EMAIL", email);
    expect((await user.client.ok(SECURITY)).me.security.stepUpMethods).toEqual(["EMAIL"]);
    const refused = await user.client.fails(REQUEST_PASSWORD_STEP_UP);
    expect(refused.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "method" }] });
  });

  it("cannot be completed once the account has gained a second factor since it was asked for", async () => {
    const user = await registerSteppedUp(app.client);
    const { requestStepUp } = await user.client.ok(REQUEST_PASSWORD_STEP_UP);
    await bindContact(app, user.client, "EMAIL", uniqueEmail("stale"));
    const stale = await user.client.fails(COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password: DEFAULT_PASSWORD });
    expect(stale.extensions?.code).toBe("CODE_INVALID"); // as a method the account never had
  });

  it("is not a second factor for two-step sign-in", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("ts");
    await bindContact(app, user.client, "EMAIL", email);
    await user.client.ok(SET_TWO_STEP, { on: true });
    const { login } = await app.client.ok(
      `mutation($i: String!, $p: String!) { login(input: { identifier: $i, password: $p }) { result { ... on TwoStepChallenge { id methods } } } }`,
      { i: user.username, p: DEFAULT_PASSWORD },
    );
    expect(login.result.methods).toEqual(["EMAIL"]);
    const error = await app.client.fails(
      `mutation($id: ID!, $code: String!) { completeTwoStep(input: { challengeId: $id, method: PASSWORD, code: $code }) { token } }`,
      { id: login.result.id, code: "123456" },
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "method" }] });
  });

  it("spends the account's password budget, which changePassword shares", async () => {
    const user = await registerUser(app.client);
    for (let i = 0; i < PASSWORD_BUDGET; i++) {
      const { requestStepUp } = await user.client.ok(REQUEST_PASSWORD_STEP_UP);
      expect(
        (await user.client.fails(COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password: `wrong-${i}` })).extensions?.code,
      ).toBe("CODE_INVALID");
    }
    const { requestStepUp } = await user.client.ok(REQUEST_PASSWORD_STEP_UP);
    expect(
      (await user.client.fails(COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password: DEFAULT_PASSWORD })).extensions?.code,
    ).toBe("RATE_LIMITED");
    const change = await user.client.fails(CHANGE_PASSWORD, {
      input: { oldPassword: DEFAULT_PASSWORD, newPassword: "An0ther-long-passphrase" },
    });
    expect(change.extensions?.code).toBe("RATE_LIMITED");
  });
});

describe("a provider-only account", () => {
  it("binds a first email without a step-up, which serves for no reset, step-up or two-step until the cool-down is over", async () => {
    const client = await providerOnlyAccount();
    expect((await client.ok(SECURITY)).me.security.stepUpMethods).toEqual([]);
    const email = uniqueEmail("cool");
    await bindContact(app, client, "EMAIL", email);
    const boundAt = app.clock.now().getTime();
    await app.smtp.waitForMail(email, 1); // the "bound" notice, so the count below is stable

    const cooling = (await client.ok(SECURITY)).me;
    expect(new Date(cooling.email.usableFrom).getTime()).toBeGreaterThanOrEqual(boundAt + COOLDOWN_SECONDS * 1000 - 5000);
    expect(cooling.security).toMatchObject({ twoStepMethods: [], stepUpMethods: [] });
    expect((await client.fails(REQUEST_STEP_UP, { method: "EMAIL" })).extensions?.code).toBe("BAD_USER_INPUT");
    expect((await client.fails(SET_TWO_STEP, { on: true })).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "enabled" }],
    });
    const mails = app.smtp.mailsTo(email).length;
    await client.ok(REQUEST_RESET, { identifier: email });
    await pause(300);
    expect(app.smtp.mailsTo(email)).toHaveLength(mails); // no reset code for a cooling address

    app.clock.advanceSeconds(COOLDOWN_SECONDS + 1);
    const usable = (await client.ok(SECURITY)).me;
    expect(usable.email.usableFrom).toBeNull();
    expect(usable.security).toMatchObject({ twoStepMethods: ["EMAIL"], stepUpMethods: ["EMAIL"] });
    await stepUp(app, client, "EMAIL", email);
    expect((await client.ok(SET_TWO_STEP, { on: true })).setTwoStepVerification.account.security.twoStepEnabled).toBe(true);
    const seen = app.smtp.mailsTo(email).length;
    await client.ok(REQUEST_RESET, { identifier: email });
    const code = await app.smtp.codeFor(email, seen);
    await app.client.ok(RESET, { input: { identifier: email, code, newPassword: "A-new-long-passphrase-1" } });
  });

  it("binds a second provider account that signs in only once the cool-down is over; the one it signed up with is not cooling", async () => {
    const wechatUser = `w${randomBytes(5).toString("hex")}`;
    const client = await providerOnlyAccount(wechatUser);
    const qqUser = `q${randomBytes(5).toString("hex")}`;
    await bindProvider(app, client, "QQ", qqUser);

    expect((await signInWith("QQ", qqUser)).errors?.[0].extensions?.code).toBe("IDENTITY_COOLING");
    expect((await signInWith("WECHAT", wechatUser)).data?.loginWithProvider.result.token).toEqual(expect.any(String));

    app.clock.advanceSeconds(COOLDOWN_SECONDS + 1);
    expect((await signInWith("QQ", qqUser)).data?.loginWithProvider.result.token).toEqual(expect.any(String));
  });

  it("cannot remove the provider account it signed up with while what would remain is still cooling", async () => {
    const client = await providerOnlyAccount();
    await bindProvider(app, client, "QQ", `q${randomBytes(5).toString("hex")}`);
    expect((await client.fails(UNBIND, { p: "WECHAT" })).extensions?.code).toBe("LAST_SIGN_IN_METHOD");
    app.clock.advanceSeconds(COOLDOWN_SECONDS + 1);
    expect((await client.ok(UNBIND, { p: "WECHAT" })).unbindProvider.account.identities.nodes).toEqual([{ provider: "QQ" }]);
  });

  it("enrols an authenticator whose codes and recovery codes wait for the cool-down too", async () => {
    const client = await providerOnlyAccount();
    const { startTotpEnrollment } = await client.ok(START_TOTP);
    const {
      confirmTotpEnrollment: { recoveryCodes },
    } = await client.ok(CONFIRM_TOTP, { code: codeNow(app, startTotpEnrollment.enrollment.secret) });
    const { security } = (await client.ok(SECURITY)).me;
    expect(security).toMatchObject({ totpEnabled: true, totpUsableFrom: expect.any(String), twoStepMethods: [], stepUpMethods: [] });
    expect((await client.fails(REQUEST_STEP_UP, { method: "TOTP" })).extensions?.code).toBe("BAD_USER_INPUT");
    expect((await client.fails(REQUEST_STEP_UP, { method: "RECOVERY_CODE" })).extensions?.code).toBe("BAD_USER_INPUT");
    expect(recoveryCodes).toHaveLength(10);
  });

  it("makes an API key that authenticates nobody until the cool-down is over, and shows until when", async () => {
    const client = await providerOnlyAccount();
    const { createApiKey } = await client.ok(CREATE_KEY);
    const until = new Date(createApiKey.apiKey.usableFrom).getTime();
    expect(until - app.clock.now().getTime()).toBeGreaterThan((COOLDOWN_SECONDS - 60) * 1000);
    expect((await client.ok(KEYS)).me.apiKeys.nodes).toEqual([{ id: createApiKey.apiKey.id, usableFrom: createApiKey.apiKey.usableFrom }]);
    const key = app.client.as(createApiKey.secret);
    expect((await key.ok(`{ me { id } }`)).me).toBeNull();
    expect((await key.fails(`mutation { updateProfile(input: { avatarUrl: null }) { account { id } } }`)).extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    // The owner sees it cooling and may revoke it meanwhile; else it works once the cool-down is over.
    app.clock.advanceSeconds(COOLDOWN_SECONDS + 1);
    expect((await key.ok(`{ me { id } }`)).me).not.toBeNull();
    expect((await client.ok(KEYS)).me.apiKeys.nodes).toEqual([{ id: createApiKey.apiKey.id, usableFrom: null }]);
  });

  it("makes an API key that works at once after a step-up", async () => {
    const user = await registerSteppedUp(app.client);
    const { createApiKey } = await user.client.ok(CREATE_KEY);
    expect(createApiKey.apiKey.usableFrom).toBeNull();
    expect((await app.client.as(createApiKey.secret).ok(`{ me { id } }`)).me.id).toBe(user.id);
  });
});

describe("a first password", () => {
  const SET_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { token revokedSessionCount account { security { hasPassword } } } }`;
  const PASSWORD_STATE = `{ me { username security { hasPassword stepUpMethods stepUpRequiredFor } } }`;
  const NEW_PASSWORD = "A-first-long-passphrase-7";

  async function signsIn(username: string, password: string): Promise<boolean> {
    const { data } = await app.client.request(
      `mutation($i: String!, $p: String!) { login(input: { identifier: $i, password: $p }) { result { __typename } } }`,
      { i: username, p: password },
    );
    return data?.login?.result.__typename === "AuthPayload";
  }

  it("on an account made through a provider needs a step-up it cannot skip, then signs in and tells the bound address", async () => {
    const client = await providerOnlyAccount();
    const before = (await client.ok(PASSWORD_STATE)).me;
    expect(before.security).toMatchObject({ hasPassword: false, stepUpMethods: [] });
    expect(before.security.stepUpRequiredFor).toContain("SET_PASSWORD");
    // Nothing to step up with: a thief holding the session must not add a password that tells nobody.
    expect((await client.fails(SET_PASSWORD, { input: { newPassword: NEW_PASSWORD } })).extensions?.code).toBe("STEP_UP_REQUIRED");
    const email = uniqueEmail("first-pw");
    await bindContact(app, client, "EMAIL", email);
    // A cooling email is nothing to step up with either.
    expect((await client.fails(SET_PASSWORD, { input: { newPassword: NEW_PASSWORD } })).extensions?.code).toBe("STEP_UP_REQUIRED");
    expect(await signsIn(before.username, NEW_PASSWORD)).toBe(false);

    app.clock.advanceSeconds(COOLDOWN_SECONDS + 1);
    await stepUp(app, client, "EMAIL", email);
    const copy = app.client.as(client.token!);
    const payload = await renewing(client, "changePassword", SET_PASSWORD, { input: { newPassword: NEW_PASSWORD } });
    expect(payload.account.security.hasPassword).toBe(true);
    expect((await copy.ok(`{ me { id } }`)).me).toBeNull();
    expect((await auditTypes(client))[0]).toBe("PASSWORD_SET");
    expect(await signsIn(before.username, NEW_PASSWORD)).toBe(true);
    await eventually(() => app.smtp.mailsTo(email).find((m) => m.text.includes(NOTICE_TEXT.PASSWORD_SET.en)));
    // From now on it is a password like any other: changing it takes the current one.
    const missing = await client.fails(SET_PASSWORD, { input: { newPassword: "Yet-another-passphrase-9" } });
    expect(missing.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "oldPassword", code: "REQUIRED" }] });
  });

  it("is refused without oldPassword on an account that has a password, and nothing changes", async () => {
    const user = await registerSteppedUp(app.client);
    const refused = await user.client.fails(SET_PASSWORD, { input: { newPassword: NEW_PASSWORD } });
    expect(refused.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "oldPassword", code: "REQUIRED" }] });
    expect(await signsIn(user.username, DEFAULT_PASSWORD)).toBe(true);
    expect(await signsIn(user.username, NEW_PASSWORD)).toBe(false);
  });
});
