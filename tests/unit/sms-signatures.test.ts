import { sha256Hex } from "../../src/core/crypto";
import {
  canonicalizedQueryString,
  encodeRpcParams,
  percentEncode,
  rpcStringToSign,
  signRpcV1,
} from "../../src/providers/sms/aliyun-signature";
import {
  authorizationHeader,
  canonicalRequest,
  credentialScope,
  signedHeaderNames,
  tc3Signature,
  utcDate,
} from "../../src/providers/sms/tencent-signature";

describe("Aliyun RPC signature v1", () => {
  // The SMS doc's worked example (docs/providers.md §4.1, VERIFIED VECTOR v1).
  const params = {
    AccessKeyId: "testId",
    Action: "SendSms",
    Format: "XML",
    OutId: "123",
    PhoneNumbers: "15300000001",
    RegionId: "cn-hangzhou",
    SignName: "阿里云短信测试专用",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    SignatureVersion: "1.0",
    TemplateCode: "SMS_71390007",
    TemplateParam: '{"customer":"test"}',
    Timestamp: "2017-07-12T02:42:19Z",
    Version: "2017-05-25",
  };

  it("builds the documented CanonicalizedQueryString", () => {
    expect(canonicalizedQueryString(params)).toBe(
      "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou" +
        "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8" +
        "&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0" +
        "&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
    );
  });

  it("signs to the documented value, whatever the parameter order and an existing Signature", () => {
    expect(rpcStringToSign("GET", params).startsWith("GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26")).toBe(true);
    expect(signRpcV1("GET", params, "testSecret")).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    const reordered = Object.fromEntries(Object.entries({ ...params, Signature: "ignored" }).reverse());
    expect(signRpcV1("GET", reordered, "testSecret")).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("signs the method: POST differs from GET", () => {
    expect(rpcStringToSign("POST", params).startsWith("POST&%2F&")).toBe(true);
    expect(signRpcV1("POST", params, "testSecret")).not.toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("percent-encodes as RFC 3986: space as %20, * as %2A, ~ kept", () => {
    expect(percentEncode("a b*c~d!'()+/")).toBe("a%20b%2Ac~d%21%27%28%29%2B%2F");
    expect(encodeRpcParams({ Signature: "zJDF+Lrzhj/ThnlvIToysFRq6t4=" })).toBe("Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D");
  });
});

describe("Tencent TC3-HMAC-SHA256", () => {
  // The official doc example (docs/providers.md §4.2, VERIFIED VECTOR TC3); the \u escapes are literal bytes.
  const timestamp = 1551113065;
  const request = {
    method: "POST",
    canonicalQueryString: "",
    headers: { "Content-Type": "application/json; charset=utf-8", Host: "cvm.tencentcloudapi.com" },
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  };

  it("hashes the payload and the canonical request to the documented values", () => {
    expect(sha256Hex(request.payload)).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    expect(canonicalRequest(request)).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    );
    expect(sha256Hex(canonicalRequest(request))).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  });

  it("lowercases and trims header names and values, as the doc requires", () => {
    const messy = { ...request, headers: { "CONTENT-TYPE": " Application/JSON; charset=UTF-8 ", HOST: "CVM.tencentcloudapi.com" } };
    expect(canonicalRequest(messy)).toBe(canonicalRequest(request));
  });

  it("signs to the documented value", () => {
    expect(tc3Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", timestamp, request)).toBe(
      "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("scopes by the UTC date of the timestamp", () => {
    // 2019-02-25T23:30:00Z is already the 26th in Beijing; the scope keeps the UTC date.
    expect(utcDate(1551137400)).toBe("2019-02-25");
    expect(credentialScope(utcDate(timestamp), "cvm")).toBe("2019-02-25/cvm/tc3_request");
  });

  it("writes the Authorization header with ', ' separators", () => {
    expect(
      authorizationHeader(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "2019-02-25/cvm/tc3_request",
        signedHeaderNames(request.headers),
        "72e494ea",
      ),
    ).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea",
    );
  });
});
