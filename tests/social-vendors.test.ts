import { randomBytes } from "node:crypto";
import { registerSteppedUp } from "./helpers/accounts";
import { callbackUrl, COMPLETE_BINDING, LOGIN_WITH, START_BINDING, START_LOGIN } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { qqAvatar40, startFakeQq, type FakeQq } from "./fakes/qq-oauth.fake";
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
const ME_IDENTITIES = `{ me { identities { nodes { provider } } } }`;

/** Someone at the vendor, with an openid per app and a unionid across them. */
interface Person {
  readonly openid: string;
  readonly unionid?: string;
  readonly nickname: string;
}

// What differs between the social vendors behind the API, as data; the contract below runs for each.
const vendors = [
  {
    provider: "WECHAT",
    fake: () => wechat,
    issueCode: (person: Person) => wechat.issueCode(person),
    /** qrconnect on the open platform, with the app id and our state, and WeChat's fragment. */
    checkAuthorizeUrl(authorizeUrl: string, state: string) {
      const url = new URL(authorizeUrl.replace(/#wechat_redirect$/, ""));
      expect(`${url.origin}${url.pathname}`).toBe(`${wechat.url}/connect/qrconnect`);
      expect(url.searchParams.get("appid")).toBe(WECHAT.appId);
      expect(url.searchParams.get("state")).toBe(state);
      expect(authorizeUrl.endsWith("#wechat_redirect")).toBe(true);
    },
    person: () => ({ openid: `o_${id()}`, unionid: `u_${id()}`, nickname: "微信用户", headimgurl: "https://thirdwx.qlogo.cn/a.png" }),
    avatarUrl: () => "https://thirdwx.qlogo.cn/a.png",
    /** A vendor error and the API's code for it. */
    error: ["-1", "PROVIDER_UNAVAILABLE"],
  },
  {
    provider: "QQ",
    fake: () => qq,
    issueCode: (person: Person) => qq.issueCode(person, callbackUrl(app)),
    checkAuthorizeUrl(authorizeUrl: string, state: string) {
      expect(authorizeUrl.startsWith(`${qq.url}/oauth2.0/authorize?response_type=code&client_id=${QQ.appId}`)).toBe(true);
      expect(new URL(authorizeUrl).searchParams.get("state")).toBe(state);
    },
    person: () => ({ openid: `O${id()}`, unionid: `UID_${id()}`, nickname: "QQ用户" }),
    avatarUrl: (person: Person) => qqAvatar40(person.openid).replace("http:", "https:"),
    error: ["-6", "RATE_LIMITED"],
  },
] as const;

describe.each(vendors)("$provider against its protocol", (vendor) => {
  const { provider } = vendor;

  it("points the browser at the vendor, binds the unionid, and signs in with it from another app of the same vendor account", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: provider, r: callbackUrl(app) });
    vendor.checkAuthorizeUrl(startProviderBinding.authorization.authorizeUrl, startProviderBinding.authorization.state);

    const person = vendor.person();
    const bound = await user.client.ok(COMPLETE_BINDING, {
      p: provider,
      c: vendor.issueCode(person),
      s: startProviderBinding.authorization.state,
    });
    expect(bound.completeProviderBinding.account.identities.nodes).toEqual([
      { provider, displayName: person.nickname, avatarUrl: vendor.avatarUrl(person), boundAt: expect.any(String) },
    ]);

    // Another app of the same vendor account (another openid, same unionid) finds the account.
    const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: provider, r: callbackUrl(app) });
    const again = vendor.issueCode({ ...person, openid: `o_${id()}` });
    const { loginWithProvider } = await app.client.ok(LOGIN_WITH, { p: provider, c: again, s: startProviderLogin.authorization.state });
    expect(loginWithProvider.result.account.id).toBe(user.id);
  });

  it("maps a code the vendor refuses to PROVIDER_ERROR and binds nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: provider, r: callbackUrl(app) });
    const refused = await user.client.fails(COMPLETE_BINDING, {
      p: provider,
      c: "0123456789ABCDEF",
      s: startProviderBinding.authorization.state,
    });
    expect(refused.extensions?.code).toBe("PROVIDER_ERROR");
    expect((await user.client.ok(ME_IDENTITIES)).me.identities.nodes).toEqual([]);
  });

  it("answers PROVIDER_UNAVAILABLE when the vendor does not answer in time, and binds nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: provider, r: callbackUrl(app) });
    const code = vendor.issueCode({ openid: `o_${id()}`, nickname: "n" });
    vendor.fake().hangNext();
    expect(
      (await user.client.fails(COMPLETE_BINDING, { p: provider, c: code, s: startProviderBinding.authorization.state })).extensions?.code,
    ).toBe("PROVIDER_UNAVAILABLE");
    expect((await user.client.ok(ME_IDENTITIES)).me.identities.nodes).toEqual([]);
  });

  it(`maps the vendor's error ${vendor.error[0]} to ${vendor.error[1]}`, async () => {
    const [vendorCode, code] = vendor.error;
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_BINDING, { p: provider, r: callbackUrl(app) });
    vendor.fake().failNext(vendorCode);
    const issued = vendor.issueCode({ openid: `o_${id()}`, nickname: "n" });
    expect(
      (await user.client.fails(COMPLETE_BINDING, { p: provider, c: issued, s: startProviderBinding.authorization.state })).extensions?.code,
    ).toBe(code);
  });
});

describe("what only one vendor does", () => {
  it("WeChat: maps a used code to PROVIDER_ERROR and changes nothing", async () => {
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
    expect((await other.client.ok(ME_IDENTITIES)).me.identities.nodes).toEqual([]);
  });

  it("QQ: refuses a code issued for another redirect_uri", async () => {
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
