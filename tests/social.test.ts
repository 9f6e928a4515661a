import { randomBytes } from "node:crypto";
import { auditTypes, ME, registerSteppedUp, letStepUpLapse, stepUpWithPassword } from "./helpers/accounts";
import { bindContact, stepUp, uniqueEmail } from "./helpers/contacts";
import { bindProvider, callbackUrl, COMPLETE_BINDING, consent, LOGIN_WITH, START_BINDING, START_LOGIN, UNBIND } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ REDIRECT_ORIGINS: "https://console.example.com" });
});
afterAll(() => app.stop());

function person(): string {
  return `p${randomBytes(5).toString("hex")}`;
}

describe("binding through the dev stand-in", () => {
  it("gives an authorize URL and a single-use state, and binds the consenting account", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startProviderBinding: { authorization: start },
    } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    expect(start).toMatchObject({ provider: "WECHAT", qrCodeDataUrl: null, state: expect.stringMatching(/^st_[\w-]{32}$/) });
    expect(start.authorizeUrl).toContain("/dev/oauth/wechat/authorize?");
    const who = person();
    const { code, state } = await consent(start.authorizeUrl, who);
    expect(state).toBe(start.state);
    const bound = (await user.client.ok(COMPLETE_BINDING, { p: "WECHAT", c: code, s: state })).completeProviderBinding.account;
    expect(bound.identities.nodes).toEqual([
      { provider: "WECHAT", displayName: `${who} (dev WECHAT)`, avatarUrl: null, boundAt: expect.any(String) },
    ]);
    expect(await auditTypes(user.client)).toContain("PROVIDER_BOUND");
    // The state and the code are spent.
    expect((await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: state })).extensions?.code).toBe("CODE_INVALID");
  });

  it("shows Alipay's authorize URL as a QR code and lets the account withdraw once bound", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startProviderBinding: { authorization: start },
    } = await user.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
    expect(start.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await user.client.ok(`{ me { capabilities { canWithdraw } } }`)).me.capabilities.canWithdraw).toBe(false);
    const { code, state } = await consent(start.authorizeUrl, person());
    const bound = (await user.client.ok(COMPLETE_BINDING, { p: "ALIPAY", c: code, s: state })).completeProviderBinding.account;
    expect(bound.capabilities.canWithdraw).toBe(true);
  });

  it("refuses a provider account bound to another account", async () => {
    const who = person();
    await bindProvider(app, (await registerSteppedUp(app.client)).client, "QQ", who);
    const other = await registerSteppedUp(app.client);
    const {
      startProviderBinding: { authorization: start },
    } = await other.client.ok(START_BINDING, { p: "QQ", r: callbackUrl(app) });
    const { code, state } = await consent(start.authorizeUrl, who);
    expect((await other.client.fails(COMPLETE_BINDING, { p: "QQ", c: code, s: state })).extensions?.code).toBe("IDENTITY_TAKEN");
    expect((await other.client.ok(`{ me { identities { nodes { provider } } } }`)).me.identities.nodes).toEqual([]);
  });

  it("refuses a state of another account, another provider, or an expired one", async () => {
    const user = await registerSteppedUp(app.client);
    const thief = await registerSteppedUp(app.client);
    const {
      startProviderBinding: { authorization: start },
    } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    const { code, state } = await consent(start.authorizeUrl, person());
    expect((await thief.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: state })).extensions?.code).toBe("CODE_INVALID");
    expect((await user.client.fails(COMPLETE_BINDING, { p: "QQ", c: code, s: state })).extensions?.code).toBe("CODE_INVALID");
    expect((await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: "st_made-up" })).extensions?.code).toBe("CODE_INVALID");

    const {
      startProviderBinding: { authorization: late },
    } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    const lateGrant = await consent(late.authorizeUrl, person());
    app.clock.advanceSeconds(601);
    await stepUpWithPassword(user.client); // completing needs a step-up too, and the first one lapsed with the state
    expect((await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: lateGrant.code, s: lateGrant.state })).extensions?.code).toBe(
      "CODE_EXPIRED",
    );
  });

  it("maps a code the provider refuses to PROVIDER_ERROR", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startProviderBinding: { authorization: start },
    } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    expect((await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: "dev_forged", s: start.state })).extensions?.code).toBe(
      "PROVIDER_ERROR",
    );
  });

  it.each([
    ["another origin (an open redirect)", "https://evil.example.net/callback"],
    ["a look-alike origin", "https://console.example.com.evil.net/cb"],
    ["credentials in the URL", "https://user:pw@console.example.com/cb"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative URL", "/oauth/callback"],
  ])("refuses a redirectUri on %s", async (_case, r) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(START_BINDING, { p: "WECHAT", r });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "redirectUri" }] });
  });

  it("accepts a redirectUri on one of REDIRECT_ORIGINS", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "QQ", r: "https://console.example.com/settings/bind?x=1" });
    expect(startProviderBinding.authorization.authorizeUrl).toContain(encodeURIComponent("https://console.example.com/settings/bind?x=1"));
  });

  it("refuses to bind a second account of the same provider", async () => {
    const user = await registerSteppedUp(app.client);
    await bindProvider(app, user.client, "WECHAT", person());
    const error = await user.client.fails(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "provider" }] });
  });
});

describe("signing in with a provider", () => {
  it("signs in the account the provider account is bound to", async () => {
    const user = await registerSteppedUp(app.client);
    const who = person();
    await bindProvider(app, user.client, "WECHAT", who);
    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "WECHAT", r: callbackUrl(app) });
    const { code, state } = await consent(startProviderLogin.authorization.authorizeUrl, who);
    const { loginWithProvider } = await app.client.ok(LOGIN_WITH, { p: "WECHAT", c: code, s: state });
    expect(loginWithProvider.result).toMatchObject({ __typename: "AuthPayload", account: { id: user.id } });
    expect((await app.client.as(loginWithProvider.result.token).ok(ME)).me.id).toBe(user.id);
  });

  it("answers IDENTITY_NOT_BOUND for a provider account bound to nobody", async () => {
    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "QQ", r: callbackUrl(app) });
    const { code, state } = await consent(startProviderLogin.authorization.authorizeUrl, person());
    expect((await app.client.fails(LOGIN_WITH, { p: "QQ", c: code, s: state })).extensions?.code).toBe("IDENTITY_NOT_BOUND");
  });

  it("goes through two-step verification when it is on", async () => {
    const user = await registerSteppedUp(app.client);
    const who = person();
    await bindProvider(app, user.client, "WECHAT", who);
    await bindContact(app, user.client, "EMAIL", uniqueEmail());
    await user.client.ok(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`);
    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "WECHAT", r: callbackUrl(app) });
    const { code, state } = await consent(startProviderLogin.authorization.authorizeUrl, who);
    const { loginWithProvider } = await app.client.ok(LOGIN_WITH, { p: "WECHAT", c: code, s: state });
    expect(loginWithProvider.result).toMatchObject({ __typename: "TwoStepChallenge", methods: ["EMAIL"] });
  });
});

describe("unbinding", () => {
  it("needs a step-up once the account has a second factor, then removes the binding", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindProvider(app, user.client, "ALIPAY", person());
    await bindContact(app, user.client, "EMAIL", email);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(UNBIND, { p: "ALIPAY" })).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUp(app, user.client, "EMAIL", email);
    expect((await user.client.ok(UNBIND, { p: "ALIPAY" })).unbindProvider.account.identities.nodes).toEqual([]);
    expect((await user.client.ok(`{ me { capabilities { canWithdraw } } }`)).me.capabilities.canWithdraw).toBe(false);
    expect(await auditTypes(user.client)).toContain("PROVIDER_UNBOUND");
  });

  it("refuses to unbind what is not bound", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await user.client.fails(UNBIND, { p: "QQ" })).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "provider" }],
    });
  });
});

describe("with provider sign-up on", () => {
  let open: TestApp;
  beforeAll(async () => {
    open = await startTestApp({ PROVIDER_SIGN_UP: "true" });
  });
  afterAll(() => open.stop());

  it("creates an account for a new provider account, which then cannot remove its only way in", async () => {
    const who = person();
    const { startProviderLogin } = await open.client.ok(START_LOGIN, { p: "WECHAT", r: callbackUrl(open) });
    const { code, state } = await consent(startProviderLogin.authorization.authorizeUrl, who);
    const { loginWithProvider } = await open.client.ok(LOGIN_WITH, { p: "WECHAT", c: code, s: state });
    expect(loginWithProvider.result.account.username).toMatch(/^wechat_[0-9a-f]{12}$/);
    const client = open.client.as(loginWithProvider.result.token);
    expect((await client.ok(`{ me { security { hasPassword } identities { nodes { provider } } } }`)).me).toEqual({
      security: { hasPassword: false },
      identities: { nodes: [{ provider: "WECHAT" }] },
    });
    expect((await client.fails(UNBIND, { p: "WECHAT" })).extensions?.code).toBe("LAST_SIGN_IN_METHOD");

    // Signing in again finds the same account.
    const again = await open.client.ok(START_LOGIN, { p: "WECHAT", r: callbackUrl(open) });
    const grant = await consent(again.startProviderLogin.authorization.authorizeUrl, who);
    expect((await open.client.ok(LOGIN_WITH, { p: "WECHAT", c: grant.code, s: grant.state })).loginWithProvider.result.account.id).toBe(
      loginWithProvider.result.account.id,
    );
  });
});

describe("with the dev stand-ins off and no vendor configured", () => {
  let closed: TestApp;
  beforeAll(async () => {
    closed = await startTestApp({ DEV_PROVIDERS: "false" });
  });
  afterAll(() => closed.stop());

  it("lists every provider disabled and refuses to start with one", async () => {
    expect((await closed.client.ok(`{ providers { kind enabled } }`)).providers.every((p: { enabled: boolean }) => !p.enabled)).toBe(true);
    const user = await registerSteppedUp(closed.client);
    const error = await user.client.fails(START_BINDING, { p: "WECHAT", r: callbackUrl(closed) });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "provider" }] });
    const page = await fetch(`${new URL(closed.url).origin}/dev/oauth/wechat/authorize?redirect_uri=x&state=y`);
    expect(page.status).toBe(404);
  });
});
