import type { TencentSmsConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { authorizationHeader, credentialScope, signedHeaderNames, tc3Signature, utcDate } from "../../src/providers/sms/tencent-signature";
import { createTencentSmsSender } from "../../src/providers/sms/tencent.provider";
import { startFakeTencentSms, type FakeTencentSms } from "../fakes/tencent-sms.fake";
import { failure } from "../helpers/provider-failure";
import { recordVendorCalls } from "../helpers/vendor-calls";
import { CODE, PHONE, smsSenderContract } from "./sms-sender.contract";

const credentials = { secretId: "AKIDFakeSecretId0000000000000000", secretKey: "fake-secret-key-value", sdkAppId: "1400006666" };

let fake: FakeTencentSms;

beforeAll(async () => {
  fake = await startFakeTencentSms(credentials);
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.messages.length = 0;
});

afterEach(() => {
  jest.restoreAllMocks();
});

function sender(overrides: Partial<TencentSmsConfig> = {}, timeoutMs = 5000, clock: Clock = systemClock) {
  const config: TencentSmsConfig = {
    kind: "tencent",
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    sdkAppId: credentials.sdkAppId,
    signName: "腾讯云",
    templateId: "1110",
    noticeTemplateId: "1120",
    region: "ap-guangzhou",
    endpoint: fake.url,
    ...overrides,
  };
  return createTencentSmsSender(config, timeoutMs, clock);
}

smsSenderContract<TencentSmsConfig>({
  name: "Tencent",
  fake: () => fake,
  sender,
  // SendSms 2021-01-11 takes the E.164 number and positional template parameters.
  sentCode: { phoneNumber: PHONE, signName: "腾讯云", templateId: "1110", templateParams: ["482913"] },
  sentNotice: (label) => ({ phoneNumber: PHONE, signName: "腾讯云", templateId: "1120", templateParams: [label] }),
  deliveryIdIn(responseText) {
    const answer = JSON.parse(responseText) as { Response: { SendStatusSet: { Code: string; SerialNo: string }[] } };
    expect(answer.Response.SendStatusSet[0].Code).toBe("Ok");
    expect(answer.Response.SendStatusSet[0].SerialNo).toMatch(/^2433:\d+$/);
    return answer.Response.SendStatusSet[0].SerialNo;
  },
  withoutNoticeTemplate: { noticeTemplateId: undefined },
  wrongSecret: { overrides: { secretKey: "wrong-secret-key" }, secret: "wrong-secret-key", vendorCode: "AuthFailure.SignatureFailure" },
  unknownKey: { overrides: { secretId: "AKIDSomeoneElse" }, vendorCode: "AuthFailure.SecretIdNotFound" },
  expiredCode: "AuthFailure.SignatureExpire",
  errorCodes: [
    // Request-level errors.
    ["RequestLimitExceeded", ProviderErrorCode.RATE_LIMITED],
    ["LimitExceeded.DeliveryFrequencyLimit", ProviderErrorCode.RATE_LIMITED],
    ["InternalError.Timeout", ProviderErrorCode.UNAVAILABLE],
    ["RequestLimitExceeded.UinLimitExceeded", ProviderErrorCode.RATE_LIMITED],
    ["ServiceUnavailable", ProviderErrorCode.UNAVAILABLE],
    ["UnauthorizedOperation.RequestIpNotInWhitelist", ProviderErrorCode.REJECTED],
    // Per-number errors in SendStatusSet.
    ["LimitExceeded.PhoneNumberDailyLimit", ProviderErrorCode.RATE_LIMITED],
    ["FailedOperation.PhoneNumberInBlacklist", ProviderErrorCode.REJECTED],
    ["FailedOperation.InsufficientBalanceInSmsPackage", ProviderErrorCode.REJECTED],
  ],
  badNumber: { phone: "+86123", vendorCode: "InvalidParameterValue.IncorrectPhoneNumber" },
});

describe("Tencent SMS adapter: what only Tencent does", () => {
  it("names the action, version and region in TC3 headers", async () => {
    const calls = recordVendorCalls();
    await sender().send(PHONE, CODE);
    expect(calls[0].init.headers).toMatchObject({
      "Content-Type": "application/json; charset=utf-8",
      Host: new URL(fake.url).host,
      "X-TC-Action": "SendSms",
      "X-TC-Version": "2021-01-11",
      "X-TC-Region": "ap-guangzhou",
    });
  });

  it("is refused for another SmsSdkAppId", async () => {
    const error = await failure(sender({ sdkAppId: "1400000000" }).send(PHONE, CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("InvalidParameterValue.SdkAppIdNotExist");
  });
});

describe("the fake Tencent API", () => {
  it("refuses a body changed after signing", async () => {
    const calls = recordVendorCalls();
    await sender().send(PHONE, CODE);
    const { init, body } = calls[0];
    const response = await fetch(`${fake.url}/`, { ...init, body: body.replace("482913", "000000") });
    const answer = (await response.json()) as { Response: { Error?: { Code: string } } };
    expect(answer.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect(fake.messages).toHaveLength(1);
  });

  it("refuses the 2019-07-11 field names even when correctly signed", async () => {
    const payload = JSON.stringify({
      PhoneNumberSet: [PHONE],
      SmsSdkAppid: credentials.sdkAppId,
      Sign: "腾讯云",
      TemplateID: "1110",
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = { "Content-Type": "application/json; charset=utf-8", Host: new URL(fake.url).host };
    const signature = tc3Signature(credentials.secretKey, "sms", timestamp, {
      method: "POST",
      canonicalQueryString: "",
      headers: signed,
      payload,
    });
    const response = await fetch(`${fake.url}/`, {
      method: "POST",
      headers: {
        ...signed,
        "X-TC-Action": "SendSms",
        "X-TC-Version": "2021-01-11",
        "X-TC-Timestamp": String(timestamp),
        "X-TC-Region": "ap-guangzhou",
        Authorization: authorizationHeader(
          credentials.secretId,
          credentialScope(utcDate(timestamp), "sms"),
          signedHeaderNames(signed),
          signature,
        ),
      },
      body: payload,
    });
    const answer = (await response.json()) as { Response: { Error?: { Code: string } } };
    expect(answer.Response.Error?.Code).toBe("UnknownParameter");
  });

  it("answers a refused number in SendStatusSet, not as a request error", async () => {
    const calls = recordVendorCalls();
    await failure(sender().send("+86123", CODE));
    const answer = JSON.parse(calls[0].responseText) as { Response: Record<string, unknown> };
    expect(answer.Response.Error).toBeUndefined();
    expect(answer.Response.SendStatusSet).toEqual([
      expect.objectContaining({ PhoneNumber: "+86123", Code: "InvalidParameterValue.IncorrectPhoneNumber", SerialNo: "", Fee: 0 }),
    ]);
  });
});
