import { randomBytes } from "node:crypto";
import { registerSteppedUp } from "./helpers/accounts";
import { callbackUrl, COMPLETE_BINDING, LOGIN_WITH, START_BINDING, START_LOGIN } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { startFakeQq, type FakeQq } from "./fakes/qq-oauth.fake";
import { startFakeWechat, type FakeWechat } from "./fakes/wechat-oauth.fake";

const WECHAT = { appId: "wx1234567890abcdef", appSecret: "wechat-app-secret" };
const QQ = { appId: "101000001", appKey: "qq-app-key" };

let app: TestApp;
let wechat: FakeWechat;
let qq: FakeQq;
beforeAll(async () => {
  wechat = await startFakeWechat(WECHAT);
  qq = await startFakeQq(QQ);
  app = await startTestApp({
    WECHAT_APP_ID: WECHAT.appId,
    WECHAT_APP_SECRET: WECHAT.appSecret,
    WECHAT_OPEN_BASE: wechat.url,
    WECHAT_API_BASE: wechat.url,
    QQ_APP_ID: QQ.appId,
    QQ_APP_KEY: QQ.appKey,
    QQ_API_BASE: qq.url,
    PROVIDER_TIMEOUT_MS: "300",
    LOG_LEVEL: "silent",
  });
});
afterAll(async () => {
  await app.stop();
  await Promise.all([wechat.stop(), qq.stop()]);
});

const id = () => randomBytes(6).toString("hex");

describe("WeChat website login against its protocol", () => {
  it("points the browser at qrconnect, binds the unionid, and signs in with it", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    const url = new URL(startProviderBinding.authorization.authorizeUrl.replace(/#wechat_redirect$/, ""));
    expect(`${url.origin}${url.pathname}`).toBe(`${wechat.url}/connect/qrconnect`);
    expect(url.searchParams.get("appid")).toBe(WECHAT.appId);
    expect(url.searchParams.get("state")).toBe(startProviderBinding.authorization.state);
    expect(startProviderBinding.authorization.authorizeUrl.endsWith("#wechat_redirect")).toBe(true);

    const person = { openid: `o_${id()}`, unionid: `u_${id()}`, nickname: "微信用户", headimgurl: "https://thirdwx.qlogo.cn/a.png" };
    const bound = await user.client.ok(COMPLETE_BINDING, {
      p: "WECHAT",
      c: wechat.issueCode(person),
      s: startProviderBinding.authorization.state,
    });
    expect(bound.completeProviderBinding.account.identities).toEqual([
      { provider: "WECHAT", displayName: "微信用户", avatarUrl: "https://thirdwx.qlogo.cn/a.png", boundAt: expect.any(String) },
    ]);

    // Signing in from another app of the same Open Platform account (another openid, same unionid) finds the account.
    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "WECHAT", r: callbackUrl(app) });
    const again = wechat.issueCode({ ...person, openid: `o_${id()}` });
    const { loginWithProvider } = await app.client.ok(LOGIN_WITH, { p: "WECHAT", c: again, s: startProviderLogin.state });
    expect(loginWithProvider.account.id).toBe(user.id);
  });

  it("maps a used code to PROVIDER_ERROR and changes nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const code = wechat.issueCode({ openid: `o_${id()}`, nickname: "n" });
    const first = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    await user.client.ok(COMPLETE_BINDING, { p: "WECHAT", c: code, s: first.startProviderBinding.authorization.state });
    const other = await registerSteppedUp(app.client);
    const second = await other.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    expect(
      (await other.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: second.startProviderBinding.authorization.state })).extensions
        ?.code,
    ).toBe("PROVIDER_ERROR");
    expect((await other.client.ok(`{ me { identities { provider } } }`)).me.identities).toEqual([]);
  });

  it("answers PROVIDER_UNAVAILABLE when WeChat does not answer in time", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    const code = wechat.issueCode({ openid: `o_${id()}`, nickname: "n" });
    wechat.hangNext();
    expect(
      (await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: startProviderBinding.authorization.state })).extensions?.code,
    ).toBe("PROVIDER_UNAVAILABLE");
    expect((await user.client.ok(`{ me { identities { provider } } }`)).me.identities).toEqual([]);
  });

  it("maps WeChat's 'system busy' to PROVIDER_UNAVAILABLE", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "WECHAT", r: callbackUrl(app) });
    wechat.failNext("-1");
    const code = wechat.issueCode({ openid: `o_${id()}`, nickname: "n" });
    expect(
      (await user.client.fails(COMPLETE_BINDING, { p: "WECHAT", c: code, s: startProviderBinding.authorization.state })).extensions?.code,
    ).toBe("PROVIDER_UNAVAILABLE");
  });
});

describe("QQ Connect against its protocol", () => {
  it("binds the unionid from /me (answered as JSONP)", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "QQ", r: callbackUrl(app) });
    expect(
      startProviderBinding.authorization.authorizeUrl.startsWith(`${qq.url}/oauth2.0/authorize?response_type=code&client_id=${QQ.appId}`),
    ).toBe(true);
    const person = { openid: `O${id()}`, unionid: `UID_${id()}`, nickname: "QQ用户" };
    const code = qq.issueCode(person, callbackUrl(app));
    const bound = await user.client.ok(COMPLETE_BINDING, { p: "QQ", c: code, s: startProviderBinding.authorization.state });
    expect(bound.completeProviderBinding.account.identities[0]).toMatchObject({ provider: "QQ", displayName: "QQ用户" });

    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "QQ", r: callbackUrl(app) });
    const { loginWithProvider } = await app.client.ok(LOGIN_WITH, {
      p: "QQ",
      c: qq.issueCode(person, callbackUrl(app)),
      s: startProviderLogin.state,
    });
    expect(loginWithProvider.account.id).toBe(user.id);
  });

  it("refuses a code issued for another redirect_uri", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "QQ", r: callbackUrl(app) });
    const code = qq.issueCode({ openid: `O${id()}`, nickname: "n" }, "https://elsewhere.example.com/cb");
    expect(
      (await user.client.fails(COMPLETE_BINDING, { p: "QQ", c: code, s: startProviderBinding.authorization.state })).extensions?.code,
    ).toBe("PROVIDER_ERROR");
  });
});

it("lists the configured vendors as enabled", async () => {
  const { providers } = await app.client.ok(`{ providers { kind enabled } }`);
  expect(providers).toEqual(
    expect.arrayContaining([
      { kind: "WECHAT", enabled: true },
      { kind: "QQ", enabled: true },
    ]),
  );
});
