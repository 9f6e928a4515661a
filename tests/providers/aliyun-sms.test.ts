import { randomUUID } from "node:crypto";
import type { AliyunSmsConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { createAliyunSmsSender } from "../../src/providers/sms/aliyun.provider";
import type { SmsMessage } from "../../src/providers/types";
import { startFakeAliyunSms, type FakeAliyunSms } from "../fakes/aliyun-sms.fake";
import { failure } from "../helpers/provider-failure";

const credentials = { accessKeyId: "LTAI5tFakeAccessKeyId", accessKeySecret: "fake-access-key-secret" };
const CODE: SmsMessage = { kind: "CODE", code: "482913" };

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

describe("Aliyun SMS adapter against the fake gateway", () => {
  it("sends a code with the code template, the national number and returns the BizId", async () => {
    const calls = recordVendorCalls();
    const receipt = await sender().send("+8613812345678", CODE);
    expect(fake.messages).toEqual([
      { phoneNumbers: "13812345678", signName: "阿里云短信测试", templateCode: "SMS_100000001", templateParam: { code: "482913" } },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`${fake.url}/`);
    const answer = JSON.parse(await calls[0].responseText) as { Code: string; BizId: string };
    expect(answer.Code).toBe("OK");
    expect(answer.BizId).toMatch(/^\d+$/);
    expect(receipt).toEqual({ deliveryId: answer.BizId });
  });

  it("sends a foreign number as its digits with the country code", async () => {
    await sender().send("+85291234567", CODE);
    expect(fake.messages.map((message) => message.phoneNumbers)).toEqual(["85291234567"]);
  });

  it("sends a security notice with the notice template and its Chinese label", async () => {
    await sender().send("+8613812345678", { kind: "NOTICE", event: "PASSWORD_CHANGED" });
    expect(fake.messages).toEqual([
      { phoneNumbers: "13812345678", signName: "阿里云短信测试", templateCode: "SMS_100000002", templateParam: { event: "密码已修改" } },
    ]);
  });

  it("refuses a notice without a notice template, sending nothing", async () => {
    const fetchSpy = jest.spyOn(global, "fetch");
    const error = await failure(
      sender({ noticeTemplateCode: undefined }).send("+8613812345678", { kind: "NOTICE", event: "CONTACT_BOUND" }),
    );
    expect(error.code).toBe(ProviderErrorCode.UNSUPPORTED);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(fake.messages).toEqual([]);
  });

  it("is refused with SignatureDoesNotMatch when signed with a wrong secret, without leaking the secret or the number", async () => {
    const error = await failure(sender({ accessKeySecret: "wrong-secret-value" }).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("SignatureDoesNotMatch");
    expect(error.message).not.toContain("wrong-secret-value");
    expect(error.message).not.toContain("13812345678");
    expect(fake.messages).toEqual([]);
  });

  it("is refused for an unknown AccessKeyId", async () => {
    const error = await failure(sender({ accessKeyId: "LTAI5tSomeoneElse" }).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("InvalidAccessKeyId.NotFound");
  });

  it("is refused when the clock is 20 minutes off", async () => {
    const lateClock: Clock = { now: () => new Date(Date.now() - 20 * 60 * 1000) };
    const error = await failure(sender({}, 5000, lateClock).send("+8613812345678", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("InvalidTimeStamp.Expired");
  });

  it.each([
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
  ])("maps the vendor code %s to %s", async (code, expected) => {
    fake.failNext(code, "触发天级流控Permits:10");
    const error = await failure(sender().send("+8613812345678", CODE));
    expect(error.code).toBe(expected);
    expect(error.vendorCode).toBe(code);
    expect(fake.messages).toEqual([]);
  });

  it("is refused with isv.MOBILE_NUMBER_ILLEGAL for a number that is not one", async () => {
    const error = await failure(sender().send("+8612345", CODE));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.MOBILE_NUMBER_ILLEGAL");
  });

  it("gives up on a hung gateway after timeoutMs", async () => {
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

describe("the fake Aliyun gateway", () => {
  async function captureSignedBody(): Promise<string> {
    const calls = recordVendorCalls();
    await sender().send("+8613812345678", CODE);
    return calls[0].init.body as string;
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
