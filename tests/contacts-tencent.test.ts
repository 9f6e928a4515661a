import { DEFAULT_PASSWORD, LOGIN, registerSteppedUp } from "./helpers/accounts";
import { CONFIRM_BINDING, START_BINDING, uniquePhone } from "./helpers/contacts";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { startFakeTencentSms, type FakeTencentSms } from "./fakes/tencent-sms.fake";

const TENCENT = { secretId: "AKIDtest", secretKey: "tencent-test-key", sdkAppId: "1400000001" };

let app: TestApp;
let tencent: FakeTencentSms;
beforeAll(async () => {
  tencent = await startFakeTencentSms(TENCENT);
  app = await startTestApp({
    SMS_PROVIDER: "tencent",
    TENCENT_SECRET_ID: TENCENT.secretId,
    TENCENT_SECRET_KEY: TENCENT.secretKey,
    TENCENT_SMS_SDK_APP_ID: TENCENT.sdkAppId,
    TENCENT_SMS_SIGN_NAME: "账号中心",
    TENCENT_SMS_TEMPLATE_ID: "200001",
    TENCENT_SMS_ENDPOINT: tencent.url,
    PROVIDER_TIMEOUT_MS: "300",
    LOG_LEVEL: "silent",
  });
});
afterAll(async () => {
  await app.stop();
  await tencent.stop();
});

it("binds a phone with a code sent through Tencent Cloud SMS, then signs in with it", async () => {
  const user = await registerSteppedUp(app.client);
  const phone = uniquePhone();
  const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "PHONE", address: phone.slice(3) });
  const sms = await eventually(() => tencent.messages.find((m) => m.phoneNumber === phone));
  expect(sms).toMatchObject({ signName: "账号中心", templateId: "200001", templateParams: [expect.stringMatching(/^\d{6}$/)] });
  await user.client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code: sms.templateParams[0] });
  const login = await app.client.ok(LOGIN, { input: { identifier: phone, password: DEFAULT_PASSWORD } });
  expect(login.login.account.id).toBe(user.id);
});

it.each([
  ["LimitExceeded.PhoneNumberDailyLimit", "RATE_LIMITED"],
  ["FailedOperation.PhoneNumberInBlacklist", "PROVIDER_ERROR"],
  ["InternalError.Timeout", "PROVIDER_UNAVAILABLE"],
])("maps Tencent's %s to %s", async (vendorCode, code) => {
  const user = await registerSteppedUp(app.client);
  tencent.failNext(vendorCode);
  expect((await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() })).extensions?.code).toBe(code);
});

it("answers PROVIDER_UNAVAILABLE when Tencent does not answer in time", async () => {
  const user = await registerSteppedUp(app.client);
  tencent.hangNext();
  expect((await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() })).extensions?.code).toBe("PROVIDER_UNAVAILABLE");
});
