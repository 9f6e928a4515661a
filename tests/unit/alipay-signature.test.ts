import { createPublicKey, generateKeyPairSync } from "node:crypto";
import {
  normalizePrivateKey,
  normalizePublicKey,
  responseNodeName,
  signContent,
  signRsa2,
  splitResponse,
  verifyResponseNode,
  verifyRsa2,
} from "../../src/providers/alipay/alipay-signature";
import { generateAlipayTestKeys } from "../fakes/alipay-gateway.fake";

const keys = generateAlipayTestKeys();
const appPrivate = normalizePrivateKey(keys.app.privateKeyPem);
const appPublic = normalizePublicKey(keys.app.publicKeyPem);
const alipayPrivate = normalizePrivateKey(keys.alipay.privateKeyPem);
const alipayPublic = normalizePublicKey(keys.alipay.publicKeyPem);

describe("Alipay request signing content (docs/providers.md §3.3)", () => {
  it("builds the gateway's documented string: sorted, sign dropped, sign_type kept, empty values dropped, raw values", () => {
    const params = {
      version: "1.0",
      timestamp: "2024-05-13 17:49:20",
      sign_type: "RSA2",
      sign: "c2lnbmF0dXJl",
      method: "alipay.security.risk.content.analyze",
      charset: "utf-8",
      app_auth_token: "",
      app_id: "2021000122671080",
    };
    // The string quoted in a real isv.invalid-signature sub_msg (docs/providers.md §3.3).
    expect(signContent(params)).toBe(
      "app_id=2021000122671080&charset=utf-8&method=alipay.security.risk.content.analyze&sign_type=RSA2&timestamp=2024-05-13 17:49:20&version=1.0",
    );
  });

  it("keeps biz_content as the exact JSON sent, unencoded, and sorts names byte-wise", () => {
    const params = {
      biz_content: '{"cert_name":"张三","return_url":"https://m.example/r?a=1&b=2"}',
      ab: "4",
      a_b: "3",
      aB: "2",
      A: "1",
    };
    expect(signContent(params)).toBe('A=1&aB=2&a_b=3&ab=4&biz_content={"cert_name":"张三","return_url":"https://m.example/r?a=1&b=2"}');
  });

  it("signs and verifies with SHA256withRSA, and refuses other content, keys or signatures", () => {
    const content = "app_id=2021000122671080&charset=utf-8&method=alipay.user.info.share";
    const signature = signRsa2(content, appPrivate);
    expect(Buffer.from(signature, "base64")).toHaveLength(256);
    expect(verifyRsa2(content, signature, appPublic)).toBe(true);
    expect(verifyRsa2(`${content}x`, signature, appPublic)).toBe(false);
    expect(verifyRsa2(content, signature, alipayPublic)).toBe(false);
    expect(verifyRsa2(content, signRsa2(content, alipayPrivate), appPublic)).toBe(false);
    expect(verifyRsa2(content, "bm90IGEgc2lnbmF0dXJl", appPublic)).toBe(false);
  });
});

describe("Alipay response node extraction and verification (docs/providers.md §3.4)", () => {
  it("names the node after the method", () => {
    expect(responseNodeName("alipay.system.oauth.token")).toBe("alipay_system_oauth_token_response");
  });

  it("cuts the node's raw text, whatever the key order, spacing, unicode, nesting and escaped quotes", () => {
    const rawNode =
      '{ "user_id" : "2088102104794936", "nick_name":"\\u5f20\\u4e09 李四", "q":"say \\"}\\" and \\\\", ' +
      '"nested":{"list":[1,{"x":"]}"},null,true,-2.5e3]}, "code":"10000" }';
    const body = `{"sign":"c2ln" ,\n "alipay_user_info_share_response" :\t${rawNode}\r\n}`;
    expect(splitResponse(body, "alipay.user.info.share")).toEqual({ nodeName: "alipay_user_info_share_response", rawNode, sign: "c2ln" });
  });

  it("reads the top-level sign, not a sign-like text inside the node", () => {
    const body = '{"alipay_system_oauth_token_response":{"msg":"\\"sign\\":\\"forged\\"","sign":"inner"},"sign":"outer"}';
    expect(splitResponse(body, "alipay.system.oauth.token")?.sign).toBe("outer");
  });

  it("falls back to error_response, with or without a sign", () => {
    const rawNode = '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.code-invalid","sub_msg":"授权码code无效"}';
    expect(splitResponse(`{"error_response":${rawNode}}`, "alipay.system.oauth.token")).toEqual({
      nodeName: "error_response",
      rawNode,
      sign: undefined,
    });
    expect(splitResponse(`{"error_response":${rawNode},"sign":""}`, "alipay.system.oauth.token")?.sign).toBeUndefined();
  });

  it.each([
    ["not JSON", "<html>502</html>"],
    ["an array", '[{"alipay_user_info_share_response":{}}]'],
    ["another method's node", '{"alipay_system_oauth_token_response":{},"sign":"c2ln"}'],
    ["both nodes", '{"alipay_user_info_share_response":{},"error_response":{},"sign":"c2ln"}'],
    [
      "a repeated node",
      '{"alipay_user_info_share_response":{"user_id":"1"},"alipay_user_info_share_response":{"user_id":"2"},"sign":"c2ln"}',
    ],
    ["a node that is not an object", '{"alipay_user_info_share_response":"{}","sign":"c2ln"}'],
  ])("finds nothing in %s", (_what, body) => {
    expect(splitResponse(body, "alipay.user.info.share")).toBeUndefined();
  });

  it("verifies the raw node text only: a re-serialised node or a tampered body fails", () => {
    const rawNode =
      '{"code":"10000", "msg":"Success","nick_name":"\\u5f20\\u4e09","avatar":"https://tfs.alipayobjects.com/images/partner/T1.png"}';
    const sign = signRsa2(rawNode, alipayPrivate);
    const body = `{"alipay_user_info_share_response":${rawNode},"sign":"${sign}"}`;
    const split = splitResponse(body, "alipay.user.info.share");
    expect(split?.rawNode).toBe(rawNode);
    expect(verifyResponseNode(split?.rawNode ?? "", sign, alipayPublic)).toBe(true);
    expect(verifyResponseNode(JSON.stringify(JSON.parse(rawNode)), sign, alipayPublic)).toBe(false);
    const tampered = splitResponse(body.replace("Success", "success"), "alipay.user.info.share");
    expect(verifyResponseNode(tampered?.rawNode ?? "", sign, alipayPublic)).toBe(false);
    expect(verifyResponseNode(rawNode, sign, appPublic)).toBe(false);
  });

  it("accepts a node whose '/' was signed plain but sent as '\\/', like the Java SDK", () => {
    const signedNode = '{"code":"10000","msg":"Success","avatar":"https://a.example/p.png"}';
    const sign = signRsa2(signedNode, alipayPrivate);
    expect(verifyResponseNode(signedNode.replaceAll("/", "\\/"), sign, alipayPublic)).toBe(true);
    expect(verifyResponseNode(signedNode.replaceAll("/", "\\/").replace("p.png", "q.png"), sign, alipayPublic)).toBe(false);
  });
});

describe("Alipay key formats", () => {
  const content = "app_id=2021000122671080&method=alipay.user.info.share";
  const expected = signRsa2(content, appPrivate);

  it("signs identically with a PEM, bare PKCS#8 or bare PKCS#1 private key, line breaks and spaces ignored", () => {
    const pkcs1Pem = appPrivate.export({ format: "pem", type: "pkcs1" }) as string;
    for (const raw of [
      keys.app.privateKeyPem,
      keys.app.privateKeyBase64,
      keys.app.privateKeyPkcs1Base64,
      pkcs1Pem,
      `  ${keys.app.privateKeyBase64.replace(/(.{64})/g, "$1\n")}  `,
    ]) {
      expect(signRsa2(content, normalizePrivateKey(raw))).toBe(expected);
    }
  });

  it("verifies with a PEM or bare SPKI public key", () => {
    for (const raw of [keys.app.publicKeyPem, keys.app.publicKeyBase64, `${keys.app.publicKeyBase64}\n`]) {
      expect(verifyRsa2(content, expected, normalizePublicKey(raw))).toBe(true);
    }
    expect(normalizePublicKey(keys.app.publicKeyBase64).export({ format: "der", type: "spki" })).toEqual(
      createPublicKey(keys.app.publicKeyPem).export({ format: "der", type: "spki" }),
    );
  });

  it("refuses what is not an RSA key of the right kind, without quoting it", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const wrongPrivate = [
      "not-a-key!",
      keys.app.publicKeyBase64,
      keys.app.publicKeyPem,
      ec.privateKey.export({ format: "pem", type: "pkcs8" }) as string,
      keys.app.privateKeyBase64.slice(0, 200),
    ];
    for (const raw of wrongPrivate) {
      expect(() => normalizePrivateKey(raw)).toThrow("Alipay app private key: expected an RSA private key as PEM or base64 PKCS#8/PKCS#1");
    }
    // A private key would yield its public half: refuse it instead of verifying against the wrong party's key.
    const wrongPublic = [
      keys.alipay.privateKeyPem,
      keys.alipay.privateKeyBase64,
      ec.publicKey.export({ format: "pem", type: "spki" }) as string,
      "c2ln!",
    ];
    for (const raw of wrongPublic) {
      expect(() => normalizePublicKey(raw)).toThrow("Alipay public key: expected an RSA public key as PEM or base64 SPKI");
    }
  });
});
