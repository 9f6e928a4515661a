import type { TencentSmsConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { authorizationHeader, credentialScope, signedHeaderNames, tc3Signature, utcDate } from "../../src/providers/sms/tencent-signature";
import { createTencentSmsSender } from "../../src/providers/sms/tencent.provider";
import type { SmsMessage } from "../../src/providers/types";
import { startFakeTencentSms, type FakeTencentSms } from "../fakes/tencent-sms.fake";
import { failure } from "../helpers/provider-failure";

const credentials = { secretId: "AKIDFakeSecretId0000000000000000", secretKey: "fake-secret-key-value", sdkAppId: "1400006666" };
const CODE: SmsMessage = { kind: "CODE", code: "482913" };

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

/** Lets the real fetch run while keeping each request and the text of its response. */
function recordVendorCalls(): { url: string; init: RequestInit; responseText: Promise<string> }[] {
  const calls: { url: string; init: RequestInit; responseText: Promise<string> }[] = [];
  const realFetch = global.fetch;
  jest.spyOn(global, "fetch").mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    calls.push({ url: input instanceof Request ? input.url : String(input), init: init ?? {}, responseText: response.clone().text() });
    return response;
  });
  return calls;
}

describe("Tencent SMS adapter against the fake API", () => {
  it("sends a code with the code template to the E.164 number and returns the SerialNo", async () => {
    const calls = recordVendorCalls();
    const receipt = await sender().send("+8613812345678", CODE);
    expect(fake.messages).toEqual([{ phoneNumber: "+8613812345678", signName: "腾讯云", templateId: "1110", templateParams: ["482913"] }]);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`${fake.url}/`);
    expect(calls[0].init.headers).toMatchObject({
      "Content-Type": "application/json; charset=utf-8",
      Host: new URL(fake.url).host,
      "X-TC-Action": "SendSms",
      "X-TC-Version": "2021-01-11",
      "X-TC-Region": "ap-guangzhou",
    });
    const answer = JSON.parse(await calls[0].responseText) as { Response: { SendStatusSet: { Code: string; SerialNo: string }[] } };
    expect(answer.Response.SendStatusSet[0].Code).toBe("Ok");
    expect(receipt).toEqual({ deliveryId: answer.Response.SendStatusSet[0].SerialNo });
    expect(receipt.deliveryId).toMatch(/^2433:\d+$/);
  });

  it("sends a security notice with the notice template and its Chinese label", async () => {
    await sender().send("+8613812345678", { kind: "NOTICE", event: "PASSWORD_RESET" });
    expect(fake.messages).toEqual([
      { phoneNumber: "+8613812345678", signName: "腾讯云", templateId: "1120", templateParams: ["密码已重置"] },
    ]);
  });

  it("refuses a notice without a notice template, sending nothing", async () => {
    const fetchSpy = jest.spyOn(global, "fetch");
    const error = await failure(
      sender({ noticeTemplateId: undefined }).send("+8613812345678", { kind: "NOTICE", event: "CONTACT_REPLACED" }),
    );
    expect(error.code).toBe(ProviderErrorCode.UNSUPPORTED);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(fake.messages).toEqual([]);
  });

  it("is refused with AuthFailure.SignatureFailure when signed with a wrong secret key, without leaking it", async () => {
    const error = await failure(sender({ secretKey: "wrong-secret-key" }).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("AuthFailure.SignatureFailure");
    expect(error.message).not.toContain("wrong-secret-key");
    expect(fake.messages).toEqual([]);
  });

  it("is refused for an unknown SecretId", async () => {
    const error = await failure(sender({ secretId: "AKIDSomeoneElse" }).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("AuthFailure.SecretIdNotFound");
  });

  it("is refused for another SmsSdkAppId", async () => {
    const error = await failure(sender({ sdkAppId: "1400000000" }).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("InvalidParameterValue.SdkAppIdNotExist");
  });

  it("is refused with AuthFailure.SignatureExpire when the clock is 20 minutes off", async () => {
    const fastClock: Clock = { now: () => new Date(Date.now() + 20 * 60 * 1000) };
    const error = await failure(sender({}, 5000, fastClock).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("AuthFailure.SignatureExpire");
  });

  it.each([
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
  ])("maps the vendor code %s to %s", async (code, expected) => {
    fake.failNext(code);
    const error = await failure(sender().send("+8613812345678", CODE));
    expect(error.code).toBe(expected);
    expect(error.vendorCode).toBe(code);
    expect(fake.messages).toEqual([]);
  });

  it("is refused per number with InvalidParameterValue.IncorrectPhoneNumber for a number that is not one", async () => {
    const error = await failure(sender().send("+86123", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("InvalidParameterValue.IncorrectPhoneNumber");
  });

  it("gives up on a hung API after timeoutMs", async () => {
    fake.hangNext();
    const started = Date.now();
    const error = await failure(sender({}, 300).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("treats HTTP 500 as unavailable", async () => {
    fake.failNextWithStatus(500);
    const error = await failure(sender().send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
  });

  it("treats a non-JSON 200 as an invalid response", async () => {
    fake.failNextWithStatus(200);
    const error = await failure(sender().send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
  });
});

describe("the fake Tencent API", () => {
  it("refuses a body changed after signing", async () => {
    const calls = recordVendorCalls();
    await sender().send("+8613812345678", CODE);
    const { init } = calls[0];
    const tampered = (init.body as string).replace("482913", "000000");
    const response = await fetch(`${fake.url}/`, { ...init, body: tampered });
    const answer = (await response.json()) as { Response: { Error?: { Code: string } } };
    expect(answer.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect(fake.messages).toHaveLength(1);
  });

  it("refuses the 2019-07-11 field names even when correctly signed", async () => {
    const payload = JSON.stringify({
      PhoneNumberSet: ["+8613812345678"],
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
    const answer = JSON.parse(await calls[0].responseText) as { Response: Record<string, unknown> };
    expect(answer.Response.Error).toBeUndefined();
    expect(answer.Response.SendStatusSet).toEqual([
      expect.objectContaining({ PhoneNumber: "+86123", Code: "InvalidParameterValue.IncorrectPhoneNumber", SerialNo: "", Fee: 0 }),
    ]);
  });
});
