import { DEFAULT_PASSWORD, LOGIN, registerSteppedUp } from "./helpers/accounts";
import { CONFIRM_BINDING, START_BINDING, uniquePhone } from "./helpers/contacts";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { startFakeTencentSms, type FakeTencentSms } from "./fakes/tencent-sms.fake";
import type { FaultControls } from "./fakes/vendor-server";

/** An SMS vendor behind the API: a test app sending through its fake, and what differs between vendors as data. */
interface SmsVendorApp {
  readonly app: TestApp;
  readonly fake: FaultControls;
  /** The code the fake received for `phone` (checking the vendor's sign and template on the way). */
  codeSentTo(phone: string): Promise<string>;
  stop(): Promise<void>;
}

const APP_ENV = { PROVIDER_TIMEOUT_MS: "300", LOG_LEVEL: "silent" };
const TENCENT = { secretId: "AKIDtest", secretKey: "tencent-test-key", sdkAppId: "1400000001" };

const vendors = [
  {
    name: "Aliyun",
    // The test app sends through the fake Aliyun gateway unless told otherwise.
    async start(): Promise<SmsVendorApp> {
      const app = await startTestApp(APP_ENV);
      return {
        app,
        fake: app.sms,
        async codeSentTo(phone) {
          const sms = await eventually(() => app.smsTo(phone)[0]);
          expect(sms).toMatchObject({
            signName: "账号中心",
            templateCode: "SMS_100000001",
            templateParam: { code: expect.stringMatching(/^\d{6}$/) },
          });
          return sms.templateParam.code;
        },
        stop: () => app.stop(),
      };
    },
    codes: [
      ["isv.BUSINESS_LIMIT_CONTROL", "RATE_LIMITED"],
      ["isv.MOBILE_NUMBER_ILLEGAL", "PROVIDER_ERROR"],
      ["isp.SYSTEM_ERROR", "PROVIDER_UNAVAILABLE"],
    ],
  },
  {
    name: "Tencent",
    async start(): Promise<SmsVendorApp> {
      const tencent: FakeTencentSms = await startFakeTencentSms(TENCENT);
      const app = await startTestApp({
        ...APP_ENV,
        SMS_PROVIDER: "tencent",
        TENCENT_SECRET_ID: TENCENT.secretId,
        TENCENT_SECRET_KEY: TENCENT.secretKey,
        TENCENT_SMS_SDK_APP_ID: TENCENT.sdkAppId,
        TENCENT_SMS_SIGN_NAME: "账号中心",
        TENCENT_SMS_TEMPLATE_ID: "200001",
        TENCENT_SMS_ENDPOINT: tencent.url,
      });
      return {
        app,
        fake: tencent,
        async codeSentTo(phone) {
          const sms = await eventually(() => tencent.messages.find((m) => m.phoneNumber === phone));
          expect(sms).toMatchObject({ signName: "账号中心", templateId: "200001", templateParams: [expect.stringMatching(/^\d{6}$/)] });
          return sms.templateParams[0];
        },
        stop: async () => {
          await app.stop();
          await tencent.stop();
        },
      };
    },
    codes: [
      ["LimitExceeded.PhoneNumberDailyLimit", "RATE_LIMITED"],
      ["FailedOperation.PhoneNumberInBlacklist", "PROVIDER_ERROR"],
      ["InternalError.Timeout", "PROVIDER_UNAVAILABLE"],
    ],
  },
] as const;

// One contract for every SMS vendor the API can send through.
describe.each(vendors)("sending SMS codes through $name", (vendor) => {
  let sms: SmsVendorApp;
  beforeAll(async () => {
    sms = await vendor.start();
  });
  afterAll(() => sms.stop());

  it("binds a phone with a code sent through the vendor, then signs in with it", async () => {
    const user = await registerSteppedUp(sms.app.client);
    const phone = uniquePhone();
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "PHONE", address: phone.slice(3) });
    const code = await sms.codeSentTo(phone);
    await user.client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code });
    const login = await sms.app.client.ok(LOGIN, { input: { identifier: phone, password: DEFAULT_PASSWORD } });
    expect(login.login.result.account.id).toBe(user.id);
  });

  it.each(vendor.codes)("maps the vendor's %s to %s", async (vendorCode, code) => {
    const user = await registerSteppedUp(sms.app.client);
    sms.fake.failNext(vendorCode);
    expect((await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() })).extensions?.code).toBe(code);
  });

  it("answers PROVIDER_UNAVAILABLE when the vendor does not answer in time", async () => {
    const user = await registerSteppedUp(sms.app.client);
    sms.fake.hangNext();
    expect((await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() })).extensions?.code).toBe(
      "PROVIDER_UNAVAILABLE",
    );
  });
});
