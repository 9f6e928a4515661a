import { randomBytes } from "node:crypto";
import { registerSteppedUp } from "./helpers/accounts";
import { callbackUrl, COMPLETE_BINDING, LOGIN_WITH, START_BINDING, START_LOGIN } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { generateAlipayTestKeys, startFakeAlipay, type FakeAlipay } from "./fakes/alipay-gateway.fake";

const APP_ID = "2021000000000001";
const keys = generateAlipayTestKeys();

let app: TestApp;
let alipay: FakeAlipay;
beforeAll(async () => {
  alipay = await startFakeAlipay({ appId: APP_ID, appPublicKey: keys.app.publicKeyPem, alipayPrivateKey: keys.alipay.privateKeyPem });
  app = await startTestApp({
    ALIPAY_APP_ID: APP_ID,
    // As the Alipay console shows them: bare base64, no PEM armour.
    ALIPAY_PRIVATE_KEY: keys.app.privateKeyBase64,
    ALIPAY_PUBLIC_KEY: keys.alipay.publicKeyBase64,
    ALIPAY_GATEWAY: `${alipay.url}/gateway.do`,
    ALIPAY_AUTHORIZE_URL: `${alipay.authorizeUrlBase}`,
    PROVIDER_TIMEOUT_MS: "300",
    LOG_LEVEL: "silent",
  });
});
afterAll(async () => {
  await app.stop();
  await alipay.stop();
});

const userId = () => `2088${randomBytes(6).readUIntBE(0, 6).toString().padStart(12, "0").slice(0, 12)}`;

it("binds the Alipay account through the RSA2-signed gateway, enables withdrawals, and signs in with it", async () => {
  const user = await registerSteppedUp(app.client);
  const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
  expect(
    startProviderBinding.authorization.authorizeUrl.startsWith(`${alipay.authorizeUrlBase}?app_id=${APP_ID}&scope=auth_user&redirect_uri=`),
  ).toBe(true);
  expect(startProviderBinding.authorization.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

  const person = { userId: userId(), nickName: "支付宝用户", avatar: "https://tfs.alipayobjects.com/a.png" };
  const bound = await user.client.ok(COMPLETE_BINDING, {
    p: "ALIPAY",
    c: alipay.issueAuthCode(person),
    s: startProviderBinding.authorization.state,
  });
  expect(bound.completeProviderBinding.account).toMatchObject({
    identities: { nodes: [{ provider: "ALIPAY", displayName: "支付宝用户", avatarUrl: "https://tfs.alipayobjects.com/a.png" }] },
    capabilities: { canWithdraw: true },
  });
  expect(alipay.requests.map((r) => r.method)).toEqual(expect.arrayContaining(["alipay.system.oauth.token", "alipay.user.info.share"]));

  const { startProviderLogin } = await app.client.ok(START_LOGIN, { p: "ALIPAY", r: callbackUrl(app) });
  const { loginWithProvider } = await app.client.ok(LOGIN_WITH, {
    p: "ALIPAY",
    c: alipay.issueAuthCode(person),
    s: startProviderLogin.authorization.state,
  });
  expect(loginWithProvider.result.account.id).toBe(user.id);
});

it("refuses an answer whose signature does not verify, and binds nothing", async () => {
  const user = await registerSteppedUp(app.client);
  const { startProviderBinding } = await user.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
  const code = alipay.issueAuthCode({ userId: userId() });
  alipay.corruptNextSignature();
  expect(
    (await user.client.fails(COMPLETE_BINDING, { p: "ALIPAY", c: code, s: startProviderBinding.authorization.state })).extensions?.code,
  ).toBe("PROVIDER_ERROR");
  expect((await user.client.ok(`{ me { capabilities { canWithdraw } } }`)).me.capabilities.canWithdraw).toBe(false);
});

it("maps a used auth_code to PROVIDER_ERROR and the gateway's 20000 to PROVIDER_UNAVAILABLE", async () => {
  const user = await registerSteppedUp(app.client);
  const code = alipay.issueAuthCode({ userId: userId() });
  const first = await user.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
  await user.client.ok(COMPLETE_BINDING, { p: "ALIPAY", c: code, s: first.startProviderBinding.authorization.state });
  const other = await registerSteppedUp(app.client);
  const second = await other.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
  expect(
    (await other.client.fails(COMPLETE_BINDING, { p: "ALIPAY", c: code, s: second.startProviderBinding.authorization.state })).extensions
      ?.code,
  ).toBe("PROVIDER_ERROR");

  const third = await other.client.ok(START_BINDING, { p: "ALIPAY", r: callbackUrl(app) });
  alipay.failNext("isp.unknow-error"); // gateway code 20000, service unavailable
  const busy = await other.client.fails(COMPLETE_BINDING, {
    p: "ALIPAY",
    c: alipay.issueAuthCode({ userId: userId() }),
    s: third.startProviderBinding.authorization.state,
  });
  expect(busy.extensions?.code).toBe("PROVIDER_UNAVAILABLE");
});
