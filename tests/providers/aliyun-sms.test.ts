import { randomUUID } from "node:crypto";
import type { AliyunSmsConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { createAliyunSmsSender } from "../../src/providers/sms/aliyun.provider";
import { startFakeAliyunSms, type FakeAliyunSms } from "../fakes/aliyun-sms.fake";
import { recordVendorCalls } from "../helpers/vendor-calls";
import { CODE, PHONE, smsSenderContract } from "./sms-sender.contract";

const credentials = { accessKeyId: "LTAI5tFakeAccessKeyId", accessKeySecret: "fake-access-key-secret" };

let fake: FakeAliyunSms;

beforeAll(async () => {
  fake = await startFakeAliyunSms(credentials);
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

function sender(overrides: Partial<AliyunSmsConfig> = {}, timeoutMs = 5000, clock: Clock = systemClock) {
  const config: AliyunSmsConfig = {
    kind: "aliyun",
    ...credentials,
    signName: "阿里云短信测试",
    templateCode: "SMS_100000001",
    noticeTemplateCode: "SMS_100000002",
    endpoint: fake.url,
    ...overrides,
  };
  return createAliyunSmsSender(config, timeoutMs, clock);
}

smsSenderContract<AliyunSmsConfig>({
  name: "Aliyun",
  fake: () => fake,
  sender,
  // dysmsapi takes the national number for the mainland and a keyed TemplateParam.
  sentCode: { phoneNumbers: "13812345678", signName: "阿里云短信测试", templateCode: "SMS_100000001", templateParam: { code: "482913" } },
  sentNotice: (label) => ({
    phoneNumbers: "13812345678",
    signName: "阿里云短信测试",
    templateCode: "SMS_100000002",
    templateParam: { event: label },
  }),
  deliveryIdIn(responseText) {
    const answer = JSON.parse(responseText) as { Code: string; BizId: string };
    expect(answer.Code).toBe("OK");
    expect(answer.BizId).toMatch(/^\d+$/);
    return answer.BizId;
  },
  withoutNoticeTemplate: { noticeTemplateCode: undefined },
  wrongSecret: { overrides: { accessKeySecret: "wrong-secret-value" }, secret: "wrong-secret-value", vendorCode: "SignatureDoesNotMatch" },
  unknownKey: { overrides: { accessKeyId: "LTAI5tSomeoneElse" }, vendorCode: "InvalidAccessKeyId.NotFound" },
  expiredCode: "InvalidTimeStamp.Expired",
  errorCodes: [
    ["isv.BUSINESS_LIMIT_CONTROL", ProviderErrorCode.RATE_LIMITED],
    ["isv.DAY_LIMIT_CONTROL", ProviderErrorCode.RATE_LIMITED],
    ["isv.MONTH_LIMIT_CONTROL", ProviderErrorCode.RATE_LIMITED],
    ["Throttling", ProviderErrorCode.RATE_LIMITED],
    ["Throttling.User", ProviderErrorCode.RATE_LIMITED],
    ["Throttling.Api", ProviderErrorCode.RATE_LIMITED],
    ["ServiceUnavailable", ProviderErrorCode.UNAVAILABLE],
    ["InternalError", ProviderErrorCode.UNAVAILABLE],
    ["ThrottlingX", ProviderErrorCode.REJECTED],
    ["isp.SYSTEM_ERROR", ProviderErrorCode.UNAVAILABLE],
    ["isp.RAM_PERMISSION_DENY", ProviderErrorCode.REJECTED],
    ["isv.OUT_OF_SERVICE", ProviderErrorCode.REJECTED],
    ["isv.SMS_TEMPLATE_ILLEGAL", ProviderErrorCode.REJECTED],
  ],
  errorMessage: "触发天级流控Permits:10",
  badNumber: { phone: "+8612345", vendorCode: "isv.MOBILE_NUMBER_ILLEGAL" },
});

describe("Aliyun SMS adapter: what only Aliyun does", () => {
  it("sends a foreign number as its digits with the country code", async () => {
    await sender().send("+85291234567", CODE);
    expect(fake.messages.map((message) => message.phoneNumbers)).toEqual(["85291234567"]);
  });
});

describe("the fake Aliyun gateway", () => {
  async function captureSignedBody(): Promise<string> {
    const calls = recordVendorCalls();
    await sender().send(PHONE, CODE);
    return calls[0].body;
  }

  async function post(body: string): Promise<{ status: number; json: { Code: string; Message: string } }> {
    const response = await fetch(`${fake.url}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    return { status: response.status, json: (await response.json()) as { Code: string; Message: string } };
  }

  it("refuses a replayed request: its nonce was used", async () => {
    const body = await captureSignedBody();
    const replay = await post(body);
    expect(replay.status).toBe(400);
    expect(replay.json.Code).toBe("SignatureNonceUsed");
    expect(fake.messages).toHaveLength(1);
  });

  it("refuses a tampered request and shows its string to sign", async () => {
    const body = await captureSignedBody();
    const tampered = new URLSearchParams(body);
    tampered.set("SignatureNonce", randomUUID());
    const answer = await post(tampered.toString());
    expect(answer.status).toBe(400);
    expect(answer.json.Code).toBe("SignatureDoesNotMatch");
    expect(answer.json.Message).toMatch(
      /^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3D/,
    );
  });
});
