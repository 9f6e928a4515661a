import { randomUUID } from "node:crypto";
import type { AlipayConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { AlipayGateway, gatewayTimestamp } from "../../src/providers/alipay/alipay-gateway";
import { normalizePublicKey, signContent, verifyRsa2 } from "../../src/providers/alipay/alipay-signature";
import { createAlipayIdentityVerifier } from "../../src/providers/identity/alipay.verifier";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import type { IdentityCheckRequest } from "../../src/providers/types";
import { generateAlipayTestKeys, startFakeAlipay, type FakeAlipay } from "../fakes/alipay-gateway.fake";
import { failure } from "../helpers/provider-failure";
import { recordVendorCalls } from "../helpers/vendor-calls";

const APP_ID = "2021000122671080";
const keys = generateAlipayTestKeys();
const EXPIRED = { status: "FAILED", failureCode: "EXPIRED", reason: "The verification expired or does not exist; start it again." };

let fake: FakeAlipay;

beforeAll(async () => {
  fake = await startFakeAlipay(
    { appId: APP_ID, appPublicKey: keys.app.publicKeyPem, alipayPrivateKey: keys.alipay.privateKeyPem },
    { identityVerification: true },
  );
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.requests.length = 0;
});

afterEach(() => {
  jest.restoreAllMocks();
});

function config(overrides: Partial<AlipayConfig> = {}): AlipayConfig {
  return {
    appId: APP_ID,
    privateKey: keys.app.privateKeyPem,
    alipayPublicKey: keys.alipay.publicKeyPem,
    gateway: `${fake.url}/gateway.do`,
    authorizeUrl: fake.authorizeUrlBase,
    ...overrides,
  };
}

function verifier(overrides: Partial<AlipayConfig> = {}, timeoutMs = 5000, clock: Clock = systemClock) {
  return createAlipayIdentityVerifier(config(overrides), timeoutMs, clock);
}

/** A fresh check each time: outer_order_no must be unique at Alipay. */
function checkRequest(overrides: Partial<IdentityCheckRequest> = {}): IdentityCheckRequest {
  return {
    reference: randomUUID(),
    legalName: "张三",
    idNumber: "11010519491231002X",
    returnUrl: "https://account.example.com/real-name/return?x=a b",
    ...overrides,
  };
}

/** What the person's Alipay app does with the verifyUrl. */
async function openPage(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe("Alipay identity verifier against the fake gateway", () => {
  it("starts a check with the exact biz_content and returns the certify_id", async () => {
    const request = checkRequest({ reference: "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b" });
    const alipay = verifier();
    expect(alipay.id).toBe("alipay");
    const started = await alipay.start(request);
    expect(fake.requests.map((sent) => sent.method)).toEqual(["alipay.user.certify.open.initialize"]);
    expect(fake.requests[0].params.biz_content).toBe(
      '{"outer_order_no":"3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b","biz_code":"FACE",' +
        '"identity_param":{"identity_type":"CERT_INFO","cert_type":"IDENTITY_CARD","cert_name":"张三","cert_no":"11010519491231002X"},' +
        '"merchant_config":{"return_url":"https://account.example.com/real-name/return?x=a b"}}',
    );
    const certifyId = fake.certifyIdFor("3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b");
    expect(certifyId).toMatch(/^[0-9a-f]{32}$/);
    expect(started.vendorReference).toBe(certifyId);
    expect(fake.certifications.get(started.vendorReference)).toEqual({
      certName: "张三",
      certNo: "11010519491231002X",
      returnUrl: "https://account.example.com/real-name/return?x=a b",
      pageOpened: false,
      passed: null,
    });
  });

  it("sends an empty return_url when there is none", async () => {
    const started = await verifier().start(checkRequest({ returnUrl: null }));
    expect(JSON.parse(fake.requests[0].params.biz_content).merchant_config).toEqual({ return_url: "" });
    expect(fake.certifications.get(started.vendorReference)?.returnUrl).toBe("");
  });

  it("returns a signed GET URL of the certify page that the gateway accepts", async () => {
    const sentAt = new Date();
    const started = await verifier({}, 5000, { now: () => sentAt }).start(checkRequest());
    const url = new URL(started.verifyUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/gateway.do`);
    const query = Object.fromEntries(url.searchParams);
    expect(query).toEqual({
      app_id: APP_ID,
      method: "alipay.user.certify.open.certify",
      format: "JSON",
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: gatewayTimestamp(sentAt),
      version: "1.0",
      biz_content: `{"certify_id":"${started.vendorReference}"}`,
      sign: expect.any(String),
    });
    expect(verifyRsa2(signContent(query), query.sign, normalizePublicKey(keys.app.publicKeyPem))).toBe(true);
    expect(fake.certifications.get(started.vendorReference)?.pageOpened).toBe(false);

    expect(await openPage(started.verifyUrl)).toEqual({
      status: 200,
      text: `<html><body>支付宝身份验证 ${started.vendorReference}</body></html>`,
    });
    expect(fake.certifications.get(started.vendorReference)?.pageOpened).toBe(true);
  });

  it("a verifyUrl pointed at another check no longer verifies", async () => {
    const [mine, other] = [await verifier().start(checkRequest()), await verifier().start(checkRequest())];
    const tampered = mine.verifyUrl.replace(mine.vendorReference, other.vendorReference);
    expect(tampered).not.toBe(mine.verifyUrl);
    expect(await openPage(tampered)).toEqual({ status: 400, text: "<html><body>40002 isv.invalid-signature</body></html>" });
    expect(fake.certifications.get(other.vendorReference)?.pageOpened).toBe(false);
  });

  it("queries PENDING until the person passes, then PASSED", async () => {
    const alipay = verifier();
    const started = await alipay.start(checkRequest());
    await expect(alipay.query(started.vendorReference)).resolves.toEqual({ status: "PENDING" });
    expect(fake.requests[1]).toMatchObject({
      method: "alipay.user.certify.open.query",
      params: { biz_content: `{"certify_id":"${started.vendorReference}"}` },
    });
    await openPage(started.verifyUrl);
    fake.completeCertification(started.vendorReference, true);
    await expect(alipay.query(started.vendorReference)).resolves.toEqual({ status: "PASSED" });
  });

  it("still answers PENDING after a failed face check: Alipay's F cannot tell failed from not done", async () => {
    const alipay = verifier();
    const started = await alipay.start(checkRequest());
    await openPage(started.verifyUrl);
    fake.completeCertification(started.vendorReference, false);
    await expect(alipay.query(started.vendorReference)).resolves.toEqual({ status: "PENDING" });
  });

  it("answers FAILED, without throwing, for a certify_id Alipay does not know", async () => {
    const calls = recordVendorCalls();
    await expect(verifier().query("0123456789abcdef0123456789abcdef")).resolves.toEqual(EXPIRED);
    expect(calls[0].responseText).toMatch(
      /^\{"alipay_user_certify_open_query_response":\{"code":"40004","msg":"Business Failed","sub_code":"OPEN_CERTIFY_BILL_NOT_EXIST",/,
    );
  });

  it("refuses a start or query answer whose signature does not verify", async () => {
    fake.corruptNextSignature();
    const startError = await failure(verifier().start(checkRequest()));
    expect(startError.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(startError.message).toBe("alipay alipay.user.certify.open.initialize: the response signature does not verify");

    const started = await verifier().start(checkRequest());
    fake.corruptNextSignature();
    const queryError = await failure(verifier().query(started.vendorReference));
    expect(queryError.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(queryError.message).toBe("alipay alipay.user.certify.open.query: the response signature does not verify");
  });

  it("reports 20000 as unavailable for start and query", async () => {
    fake.failNext("isp.unknow-error", "系统繁忙");
    const startError = await failure(verifier().start(checkRequest()));
    expect(startError.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(startError.vendorCode).toBe("isp.unknow-error");
    expect(startError.message).toBe("alipay alipay.user.certify.open.initialize failed: 20000/isp.unknow-error: 系统繁忙");

    fake.failNext("isp.unknow-error", "系统繁忙");
    const queryError = await failure(verifier().query("0123456789abcdef0123456789abcdef"));
    expect(queryError.code).toBe(ProviderErrorCode.UNAVAILABLE);
  });

  it("gives up on a hung gateway after timeoutMs", async () => {
    fake.hangNext();
    const started = Date.now();
    const error = await failure(verifier({}, 300).start(checkRequest()));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("is refused when the reference was used before (outer_order_no must be unique)", async () => {
    const request = checkRequest();
    await verifier().start(request);
    const error = await failure(verifier().start({ ...request, legalName: "李四" }));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("OUTER_ORDER_NO_DUPLICATE");
    expect(error.message).toBe("alipay alipay.user.certify.open.initialize failed: 40004/OUTER_ORDER_NO_DUPLICATE: 商户请求号重复");
  });

  it("keeps the name and ID number out of error messages, even when Alipay quotes them", async () => {
    const request = checkRequest({ legalName: "欧阳娜娜", idNumber: "360426199101010071" });
    fake.failNext("isv.invalid-parameter", `参数cert_no=${request.idNumber}与cert_name=${request.legalName}不匹配`);
    const quoted = await failure(verifier().start(request));
    expect(quoted.code).toBe(ProviderErrorCode.REJECTED);
    expect(quoted.vendorCode).toBe("isv.invalid-parameter");
    expect(quoted.message).toBe(
      "alipay alipay.user.certify.open.initialize failed: 40002/isv.invalid-parameter: 参数cert_no=…与cert_name=…不匹配",
    );

    // A signature failure's sub_msg holds the string to sign, biz_content and all.
    const calls = recordVendorCalls();
    const signature = await failure(verifier({ privateKey: keys.alipay.privateKeyPem }).start(request));
    expect(calls[0].responseText).toContain(request.idNumber);
    expect(signature.vendorCode).toBe("isv.invalid-signature");
    for (const error of [quoted, signature]) {
      expect(error.message).not.toContain(request.idNumber);
      expect(error.message).not.toContain(request.legalName);
    }
  });
});

describe("the fake gateway's certify checks", () => {
  const gateway = () => new AlipayGateway(config(), 5000, systemClock);
  const VALID = {
    outer_order_no: "ZGYD201809132323000001234",
    biz_code: "FACE",
    identity_param: { identity_type: "CERT_INFO", cert_type: "IDENTITY_CARD", cert_name: "张三", cert_no: "11010519491231002X" },
    merchant_config: { return_url: "" },
  };

  it.each([
    ["identity_param as a JSON string", { identity_param: JSON.stringify(VALID.identity_param) }],
    ["another identity_type", { identity_param: { ...VALID.identity_param, identity_type: "NAME_ONLY" } }],
    ["no cert_no", { identity_param: { ...VALID.identity_param, cert_no: "" } }],
    ["an unknown biz_code", { biz_code: "FACE_X" }],
    ["an outer_order_no with dashes", { outer_order_no: "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b" }],
    ["no merchant_config", { merchant_config: undefined }],
  ])("refuses initialize with %s as unknown-sub-code", async (_case, change) => {
    const error = await failure(gateway().call("alipay.user.certify.open.initialize", { bizContent: { ...VALID, ...change } }));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("unknown-sub-code");
    expect(fake.certifyIdFor(VALID.outer_order_no)).toBeUndefined();
  });

  it("does not answer the certify page server-to-server", async () => {
    const started = await verifier().start(checkRequest());
    const error = await failure(
      gateway().call("alipay.user.certify.open.certify", { bizContent: { certify_id: started.vendorReference } }),
    );
    expect(error.vendorCode).toBe("isv.invalid-method");
  });

  it("shows an error page for a signed URL of an unknown certify_id", async () => {
    const url = gateway().pageUrl("alipay.user.certify.open.certify", { certify_id: "0123456789abcdef0123456789abcdef" });
    expect(await openPage(url)).toEqual({ status: 400, text: "<html><body>40004 OPEN_CERTIFY_BILL_NOT_EXIST</body></html>" });
  });

  it("cannot complete a check whose page was never opened", async () => {
    const started = await verifier().start(checkRequest());
    expect(() => fake.completeCertification(started.vendorReference, true)).toThrow(
      `completeCertification: the certify page of ${started.vendorReference} was never opened`,
    );
  });
});
