import type { AlipayConfig } from "../../src/config";
import { systemClock, type Clock } from "../../src/core/clock";
import { AlipayGateway, gatewayTimestamp } from "../../src/providers/alipay/alipay-gateway";
import { normalizePrivateKey, signContent, signRsa2 } from "../../src/providers/alipay/alipay-signature";
import { createAlipayProvider } from "../../src/providers/oauth/alipay.provider";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { generateAlipayTestKeys, startFakeAlipay, type FakeAlipay } from "../fakes/alipay-gateway.fake";
import { failure } from "../helpers/provider-failure";
import { recordVendorCalls } from "../helpers/vendor-calls";

const APP_ID = "2021000122671080";
const REDIRECT = "https://account.example.com/oauth/alipay/callback?next=/settings&x=a b";
const keys = generateAlipayTestKeys();

let fake: FakeAlipay;

beforeAll(async () => {
  fake = await startFakeAlipay({ appId: APP_ID, appPublicKey: keys.app.publicKeyPem, alipayPrivateKey: keys.alipay.privateKeyPem });
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

function provider(overrides: Partial<AlipayConfig> = {}, timeoutMs = 5000, clock: Clock = systemClock) {
  return createAlipayProvider(config(overrides), timeoutMs, clock);
}

const PERSON = {
  userId: "2088102104794936",
  openId: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
  nickName: '张三/Zhang "San"',
  avatar: "https://tfs.alipayobjects.com/images/partner/T1.png",
};

describe("Alipay OAuth provider against the fake gateway", () => {
  it("builds the authorize URL with the app id, auth_user scope, encoded redirect URI and state", () => {
    const alipay = provider();
    expect(alipay.kind).toBe("ALIPAY");
    expect(alipay.id).toBe("alipay");
    expect(alipay.authorizationUrl("st_4f9a&b", REDIRECT)).toBe(
      `${fake.authorizeUrlBase}?app_id=2021000122671080&scope=auth_user` +
        "&redirect_uri=https%3A%2F%2Faccount.example.com%2Foauth%2Falipay%2Fcallback%3Fnext%3D%2Fsettings%26x%3Da%20b&state=st_4f9a%26b",
    );
  });

  it("exchanges a code for the open_id, nickname and avatar, through oauth.token then user.info.share", async () => {
    const code = fake.issueAuthCode(PERSON);
    const profile = await provider().exchangeCode(code, REDIRECT);
    expect(profile).toEqual({
      subject: PERSON.openId,
      displayName: '张三/Zhang "San"',
      avatarUrl: "https://tfs.alipayobjects.com/images/partner/T1.png",
    });
    expect(fake.requests.map((request) => request.method)).toEqual(["alipay.system.oauth.token", "alipay.user.info.share"]);
    expect(fake.requests[0].params).toMatchObject({ grant_type: "authorization_code", code });
    expect(fake.requests[1].params.auth_token).toMatch(/^authusrB[0-9a-f]{32}$/);
  });

  it("uses user_id for an app without OpenID, and null for an unset nickname and avatar", async () => {
    const profile = await provider().exchangeCode(fake.issueAuthCode({ userId: "2088000000000001" }), REDIRECT);
    expect(profile).toEqual({ subject: "2088000000000001", displayName: null, avatarUrl: null });
  });

  it("sends the signed common parameters in the query and the rest in the form body, as the SDKs do", async () => {
    const sentAt = new Date();
    const clock: Clock = { now: () => sentAt };
    const calls = recordVendorCalls();
    const code = fake.issueAuthCode(PERSON);
    await provider({}, 5000, clock).exchangeCode(code, REDIRECT);
    const [tokenCall, infoCall] = calls.map((call) => ({ url: new URL(call.url), init: call.init }));
    expect(`${tokenCall.url.origin}${tokenCall.url.pathname}`).toBe(`${fake.url}/gateway.do`);
    expect(tokenCall.init.method).toBe("POST");
    expect(new Headers(tokenCall.init.headers).get("content-type")).toBe("application/x-www-form-urlencoded;charset=utf-8");
    expect(tokenCall.init.body).toBe(`grant_type=authorization_code&code=${code}`);
    const query = Object.fromEntries(tokenCall.url.searchParams);
    expect(query).toEqual({
      app_id: APP_ID,
      method: "alipay.system.oauth.token",
      format: "JSON",
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: gatewayTimestamp(sentAt),
      version: "1.0",
      sign: signRsa2(signContent({ ...query, grant_type: "authorization_code", code }), normalizePrivateKey(keys.app.privateKeyPem)),
    });
    // Encoded as the node SDK does: space as %20, not +.
    expect(tokenCall.url.search).toContain(`&timestamp=${gatewayTimestamp(sentAt).replace(" ", "%20").replaceAll(":", "%3A")}&`);
    expect(infoCall.url.searchParams.get("auth_token")).toMatch(/^authusrB[0-9a-f]{32}$/);
    expect(infoCall.init.body).toBe("");
  });

  it("formats the timestamp in China time (UTC+8)", () => {
    expect(gatewayTimestamp(new Date("2024-05-13T09:49:20.999Z"))).toBe("2024-05-13 17:49:20");
    expect(gatewayTimestamp(new Date("2024-12-31T16:00:00Z"))).toBe("2025-01-01 00:00:00");
  });

  it("refuses a reused code with isv.code-invalid", async () => {
    const code = fake.issueAuthCode(PERSON);
    await provider().exchangeCode(code, REDIRECT);
    const error = await failure(provider().exchangeCode(code, REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.code-invalid");
    expect(error.message).toBe("alipay alipay.system.oauth.token failed: 40002/isv.code-invalid: 授权码code无效");
  });

  it("is refused with isv.invalid-signature when signed with another private key, without leaking the code or the string to sign", async () => {
    const code = fake.issueAuthCode(PERSON);
    const error = await failure(provider({ privateKey: keys.alipay.privateKeyPem }).exchangeCode(code, REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.invalid-signature");
    expect(error.message).toBe(
      "alipay alipay.system.oauth.token failed: 40002/isv.invalid-signature: 验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串…",
    );
    // The code was not spent.
    await expect(provider().exchangeCode(code, REDIRECT)).resolves.toMatchObject({ subject: PERSON.openId });
  });

  it("accepts the unsigned refusal of an unknown app id", async () => {
    const calls = recordVendorCalls();
    const error = await failure(provider({ appId: "2021000000000000" }).exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(calls[0].responseText).not.toContain('"sign"');
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.invalid-app-id");
  });

  it("refuses an answer whose signature does not verify", async () => {
    fake.corruptNextSignature();
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(error.message).toBe("alipay alipay.system.oauth.token: the response signature does not verify");
  });

  it("refuses an answer signed with a key other than the configured Alipay public key", async () => {
    const error = await failure(provider({ alipayPublicKey: keys.app.publicKeyPem }).exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
  });

  it("refuses a success answer stripped of its sign", async () => {
    const calls = recordVendorCalls((text) => text.replace(/,"sign":"[^"]*"/, ""));
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(calls[0].responseText).toMatch(/^\{"alipay_system_oauth_token_response":\{"access_token":"authusrB[0-9a-f]{32}",.*\}\}$/);
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(error.message).toBe("alipay alipay.system.oauth.token: unsigned success answer");
  });

  it("refuses a signed node with a forged duplicate after it", async () => {
    const forged = '"alipay_system_oauth_token_response":{"access_token":"x","user_id":"2088999999999999"}';
    recordVendorCalls((text) => text.replace(/\}$/, `,${forged}}`));
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(error.message).toBe("alipay alipay.system.oauth.token: no single response node in the answer");
  });

  it.each([
    ["isp.unknow-error", ProviderErrorCode.UNAVAILABLE],
    ["aop.unknow-error", ProviderErrorCode.UNAVAILABLE],
    ["isv.app-call-limited", ProviderErrorCode.RATE_LIMITED],
    ["isv.method-call-limited", ProviderErrorCode.RATE_LIMITED],
    ["ACQ.REQUEST_FREQUENCY_LIMIT", ProviderErrorCode.RATE_LIMITED],
    ["isv.insufficient-isv-permissions", ProviderErrorCode.REJECTED],
    ["aop.auth-token-time-out", ProviderErrorCode.REJECTED],
    ["isv.invalid-parameter", ProviderErrorCode.REJECTED],
    ["USER_NOT_EXIST", ProviderErrorCode.REJECTED],
  ])("maps the sub_code %s to %s", async (subCode, expected) => {
    fake.failNext(subCode, "injected");
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(expected);
    expect(error.vendorCode).toBe(subCode);
  });

  it("reports 20000 as unavailable and leaves the code unspent", async () => {
    const code = fake.issueAuthCode(PERSON);
    fake.failNext("isp.unknow-error", "系统繁忙");
    const error = await failure(provider().exchangeCode(code, REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(error.message).toBe("alipay alipay.system.oauth.token failed: 20000/isp.unknow-error: 系统繁忙");
    await expect(provider().exchangeCode(code, REDIRECT)).resolves.toMatchObject({ subject: PERSON.openId });
  });

  it("gives up on a hung gateway after timeoutMs", async () => {
    fake.hangNext();
    const started = Date.now();
    const error = await failure(provider({}, 300).exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("treats HTTP 502 as unavailable", async () => {
    fake.failNextWithStatus(502);
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
  });

  it("treats a non-JSON 200 as an invalid response", async () => {
    fake.failNextWithStatus(200);
    const error = await failure(provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    expect(error.message).toBe("alipay: response is not JSON");
  });

  it("is refused with isv.invalid-timestamp when the clock is 20 minutes off", async () => {
    const lateClock: Clock = { now: () => new Date(Date.now() - 20 * 60 * 1000) };
    const error = await failure(provider({}, 5000, lateClock).exchangeCode(fake.issueAuthCode(PERSON), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.invalid-timestamp");
  });

  it("works with the bare base64 keys the Alipay console shows (PKCS#8 or PKCS#1)", async () => {
    for (const privateKey of [keys.app.privateKeyBase64, keys.app.privateKeyPkcs1Base64]) {
      const profile = await provider({ privateKey, alipayPublicKey: keys.alipay.publicKeyBase64 }).exchangeCode(
        fake.issueAuthCode(PERSON),
        REDIRECT,
      );
      expect(profile.subject).toBe(PERSON.openId);
    }
  });

  it("fails at construction on a malformed key, without quoting it", () => {
    expect(() => provider({ privateKey: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" })).toThrow(
      "Alipay app private key: expected an RSA private key as PEM or base64 PKCS#8/PKCS#1",
    );
  });
});

describe("AlipayGateway.call", () => {
  it("refuses an invalid auth_token with 20001 in that API's own signed node, without quoting the token", async () => {
    const gateway = new AlipayGateway(config(), 5000, systemClock);
    const calls = recordVendorCalls();
    const error = await failure(gateway.call("alipay.user.info.share", { params: { auth_token: "authusrBnot-a-token" } }));
    expect(calls[0].responseText).toMatch(/^\{"alipay_user_info_share_response":\{"code":"20001",.*\},"sign":"[A-Za-z0-9+/=]+"\}$/);
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("aop.invalid-auth-token");
    expect(error.message).not.toContain("authusrBnot-a-token");
  });

  it("sends biz_content as a JSON string, and an unknown method is refused with isv.invalid-method", async () => {
    const gateway = new AlipayGateway(config(), 5000, systemClock);
    const bizContent = { outer_order_no: "ZGYD201809132323000001234", identity_param: { cert_name: "张三" } };
    const error = await failure(gateway.call("alipay.user.certify.open.initialize", { bizContent }));
    expect(fake.requests[0].params.biz_content).toBe(
      '{"outer_order_no":"ZGYD201809132323000001234","identity_param":{"cert_name":"张三"}}',
    );
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("isv.invalid-method");
  });
});

describe("the fake Alipay gateway", () => {
  async function capture(): Promise<{ url: string; body: string }> {
    const calls = recordVendorCalls();
    await provider().exchangeCode(fake.issueAuthCode(PERSON), REDIRECT);
    jest.restoreAllMocks();
    return { url: calls[0].url, body: calls[0].body };
  }

  async function post(url: string, body: string): Promise<{ error_response: { code: string; sub_code: string; sub_msg: string } }> {
    const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    return (await response.json()) as { error_response: { code: string; sub_code: string; sub_msg: string } };
  }

  it("refuses a tampered request and quotes its string to sign", async () => {
    const { url, body } = await capture();
    const answer = await post(url, body.replace("authorization_code", "refresh_token"));
    expect(answer.error_response).toMatchObject({ code: "40002", sub_code: "isv.invalid-signature" });
    expect(answer.error_response.sub_msg).toMatch(
      /网关生成的验签字符串为：app_id=2021000122671080&charset=utf-8&code=[0-9a-f]{32}&format=JSON&grant_type=refresh_token&method=/,
    );
  });

  it("refuses a request without a signature, and a replayed code", async () => {
    const { url, body } = await capture();
    const unsigned = new URL(url);
    unsigned.searchParams.delete("sign");
    expect((await post(unsigned.toString(), body)).error_response).toMatchObject({ code: "40001", sub_code: "isv.missing-signature" });
    expect((await post(url, body)).error_response).toMatchObject({ code: "40002", sub_code: "isv.code-invalid" });
  });
});
