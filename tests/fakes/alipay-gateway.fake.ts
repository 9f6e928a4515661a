import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ERROR_NODE,
  normalizePrivateKey,
  normalizePublicKey,
  responseNodeName,
  signContent,
  signRsa2,
  verifyRsa2,
} from "../../src/providers/alipay/alipay-signature";
import { startVendorServer, type InjectedError, type VendorServer } from "./vendor-server";

/**
 * A loopback stand-in for the Alipay OpenAPI 2.0 gateway (`/gateway.do`) that checks requests the way
 * the real one does (docs/providers.md §3.10) and signs its answers with "Alipay's" private key, so the
 * adapter is tested against the protocol, not against itself.
 */

/** Who consents at Alipay; an app in OpenID mode sees `openId`, a legacy app `userId`. */
export interface AlipayPerson {
  readonly userId?: string;
  readonly openId?: string;
  readonly nickName?: string;
  readonly avatar?: string;
}

export type FakeAlipay = VendorServer & {
  /** The authorize page's address, for AlipayConfig.authorizeUrl (the fake does not serve it). */
  readonly authorizeUrlBase: string;
  /** An auth_code, usable once, as the authorize page would hand it to the redirect URI. */
  issueAuthCode(person: AlipayPerson): string;
  /** Every request to `/gateway.do`, query and body merged and decoded, in order, refused ones included. */
  readonly requests: { method: string; params: Record<string, string> }[];
  /** The next signed answer carries a signature over other content. */
  corruptNextSignature(): void;
  /** Real-name checks by certify_id, as `alipay.user.certify.open.initialize` registered them. */
  readonly certifications: ReadonlyMap<string, FakeCertification>;
  /** The certify_id initialize returned for this outer_order_no. */
  certifyIdFor(outerOrderNo: string): string | undefined;
  /** What the person does in the Alipay app after opening the certify page: passes or fails the face check. */
  completeCertification(certifyId: string, passed: boolean): void;
};

/** One real-name check, as the fake gateway holds it. */
export interface FakeCertification {
  readonly certName: string;
  readonly certNo: string;
  readonly returnUrl: string;
  /** The signed certify page was opened (GET with a valid signature). */
  readonly pageOpened: boolean;
  /** null until the person has finished the face check. */
  readonly passed: boolean | null;
}

export interface FakeAlipayOptions {
  /**
   * The app has signed the 身份验证 product, so the gateway serves `alipay.user.certify.open.*`.
   * Without it those methods are refused with isv.invalid-method like any other method the fake lacks.
   */
  readonly identityVerification?: boolean;
}

export interface AlipayTestKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  /** PKCS#8 DER, as the console's key tool shows it for Java. */
  readonly privateKeyBase64: string;
  /** PKCS#1 DER, as the key tool shows it for other languages. */
  readonly privateKeyPkcs1Base64: string;
  /** SPKI DER. */
  readonly publicKeyBase64: string;
}

/** The app's key pair (its public half is "uploaded" to the fake) and Alipay's (its public half goes in our config). */
export function generateAlipayTestKeys(): { app: AlipayTestKeyPair; alipay: AlipayTestKeyPair } {
  return { app: generatePair(), alipay: generatePair() };
}

function generatePair(): AlipayTestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }) as string,
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }) as string,
    privateKeyBase64: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    privateKeyPkcs1Base64: privateKey.export({ format: "der", type: "pkcs1" }).toString("base64"),
    publicKeyBase64: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}

const GATEWAY_MESSAGES: Record<string, string> = {
  "20000": "Service Currently Unavailable",
  "20001": "Insufficient Token Permissions",
  "40001": "Missing Required Arguments",
  "40002": "Invalid Arguments",
  "40004": "Business Failed",
  "40005": "Call Limited",
  "40006": "Insufficient Permissions",
};

/** Ends the handling of a request with a failure node. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    readonly subCode: string,
    readonly subMsg: string,
    /** Gateway checks answer in `error_response`; an API's own failures in its node. */
    readonly nodeName = ERROR_NODE,
    /** Without a known app_id the gateway has no key pair to sign with. */
    readonly signed = true,
  ) {
    super(subMsg);
  }
}

/** The gateway code an injected sub_code comes with (docs/providers.md §3.5); the first match wins. */
const INJECTED_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/unknow-error$/, "20000"],
  [/^aop\./, "20001"],
  [/call-limited$/, "40005"],
  [/^isv\.insufficient-/, "40006"],
  [/^isv\./, "40002"],
  [/./, "40004"],
];

function injectedRefusal(injected: InjectedError): Refusal {
  const [, code] = INJECTED_CODES.find(([pattern]) => pattern.test(injected.code)) as readonly [RegExp, string];
  return new Refusal(code, injected.code, injected.message);
}

/** Required common parameters and the 40001 sub_code for each; charset is checked by value. */
const REQUIRED: ReadonlyArray<readonly [string, string, string]> = [
  ["method", "isv.missing-method", "缺少方法名参数"],
  ["sign", "isv.missing-signature", "缺少签名参数"],
  ["sign_type", "isv.missing-signature-type", "缺少签名类型"],
  ["timestamp", "isv.missing-timestamp", "缺少时间戳参数"],
  ["version", "isv.missing-version", "缺少版本参数"],
];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** The real tolerance is UNCONFIRMED (docs/providers.md §3.2); 15 minutes, like the other fakes. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const OAUTH_TOKEN = "alipay.system.oauth.token";
const USER_INFO = "alipay.user.info.share";
const CERTIFY_INITIALIZE = "alipay.user.certify.open.initialize";
const CERTIFY_PAGE = "alipay.user.certify.open.certify";
const CERTIFY_QUERY = "alipay.user.certify.open.query";
const BIZ_CODES = new Set(["FACE", "CERT_PHOTO", "CERT_PHOTO_FACE", "SMART_FACE"]);
const OUTER_ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
/**
 * Alipay's sub_code for a reused outer_order_no is UNCONFIRMED (docs/providers.md §3.9): the fake answers
 * this 40004 business failure.
 */
const DUPLICATE_ORDER_SUB_CODE = "OUTER_ORDER_NO_DUPLICATE";

function chinaTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

function token(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

type Certification = { -readonly [K in keyof FakeCertification]: FakeCertification[K] };

export async function startFakeAlipay(
  keys: { appId: string; appPublicKey: string; alipayPrivateKey: string },
  options: FakeAlipayOptions = {},
): Promise<FakeAlipay> {
  const appPublicKey = normalizePublicKey(keys.appPublicKey);
  const alipayPrivateKey = normalizePrivateKey(keys.alipayPrivateKey);
  const authCodes = new Map<string, AlipayPerson>();
  const accessTokens = new Map<string, AlipayPerson>();
  const certifications = new Map<string, Certification>();
  const certifyIdsByOrder = new Map<string, string>();
  const requests: FakeAlipay["requests"] = [];
  let corruptNext = false;

  /** The APIs answered in JSON to a POST; the certify page is a GET (see certifyPage). */
  const apis = new Map<string, (params: Record<string, string>) => object>([
    [OAUTH_TOKEN, oauthToken],
    [USER_INFO, userInfo],
    ...(options.identityVerification
      ? ([
          [CERTIFY_INITIALIZE, certifyInitialize],
          [CERTIFY_QUERY, certifyQuery],
        ] as const)
      : []),
  ]);

  /**
   * The gateway's checks, app_id first (as a probe of the real gateway shows), then the other common
   * parameters, then the signature, then whether `method` is one this transport serves.
   */
  function checkCommon(params: Record<string, string>, served: (method: string) => boolean): void {
    if (!params.app_id) throw new Refusal("40001", "isv.missing-app-id", "缺少AppID参数", ERROR_NODE, false);
    if (params.app_id !== keys.appId) throw new Refusal("40002", "isv.invalid-app-id", "无效的AppID参数", ERROR_NODE, false);
    for (const [name, subCode, subMsg] of REQUIRED) {
      if (!params[name]) throw new Refusal("40001", subCode, subMsg);
    }
    // format is optional, JSON its only value; page URLs send it in lower case.
    if (params.format !== undefined && params.format.toUpperCase() !== "JSON")
      throw new Refusal("40002", "isv.invalid-format", "无效的数据格式");
    // The fake decodes UTF-8 only (the real gateway also takes GBK).
    if (params.charset?.toLowerCase() !== "utf-8") throw new Refusal("40002", "isv.invalid-charset", "字符集错误");
    if (params.sign_type !== "RSA2") throw new Refusal("40002", "isv.invalid-signature-type", "无效的签名类型");
    const sentAt = TIMESTAMP.test(params.timestamp) ? Date.parse(`${params.timestamp.replace(" ", "T")}+08:00`) : NaN;
    if (Number.isNaN(sentAt) || Math.abs(sentAt - Date.now()) > MAX_SKEW_MS) {
      throw new Refusal("40002", "isv.invalid-timestamp", "非法的时间戳参数");
    }
    if (params.version !== "1.0") throw new Refusal("40002", "isv.invalid-parameter", "参数无效");
    const content = signContent(params);
    if (!verifyRsa2(content, params.sign, appPublicKey)) {
      // The real sub_msg quotes the gateway's string to sign, secrets included: adapters must not log it.
      throw new Refusal(
        "40002",
        "isv.invalid-signature",
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
      );
    }
    if (!served(params.method)) throw new Refusal("40002", "isv.invalid-method", "不存在的方法名");
  }

  /** `alipay.system.oauth.token`: spends the code; the success node has no `code`, as in older samples. */
  function oauthToken(params: Record<string, string>): object {
    if (params.grant_type !== "authorization_code") throw new Refusal("40002", "isv.invalid-parameter", "grant_type无效");
    const person = authCodes.get(params.code ?? "");
    if (person === undefined) throw new Refusal("40002", "isv.code-invalid", "授权码code无效");
    authCodes.delete(params.code);
    const accessToken = token("authusrB");
    accessTokens.set(accessToken, person);
    return {
      access_token: accessToken,
      auth_start: chinaTime(Date.now()),
      expires_in: 1296000,
      ...(person.openId === undefined ? {} : { open_id: person.openId }),
      re_expires_in: 2592000,
      refresh_token: token("authusrB"),
      ...(person.userId === undefined ? {} : { user_id: person.userId }),
    };
  }

  function userInfo(params: Record<string, string>): object {
    const person = accessTokens.get(params.auth_token ?? "");
    if (person === undefined) throw new Refusal("20001", "aop.invalid-auth-token", "无效的访问令牌", responseNodeName(USER_INFO));
    return {
      code: "10000",
      msg: "Success",
      ...(person.avatar === undefined ? {} : { avatar: person.avatar }),
      ...(person.nickName === undefined ? {} : { nick_name: person.nickName }),
      ...(person.openId === undefined ? {} : { open_id: person.openId }),
      ...(person.userId === undefined ? {} : { user_id: person.userId }),
    };
  }

  /** biz_content as a JSON object; anything else is the malformed-JSON failure (docs/providers.md §3.9a). */
  function bizContent(params: Record<string, string>, nodeName: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.biz_content ?? "");
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) throw unknownError(nodeName);
    return parsed;
  }

  /** What Alipay answers for malformed identity_param/merchant_config or null values. */
  function unknownError(nodeName: string): Refusal {
    return new Refusal("40004", "unknown-sub-code", "未知的错误码UNKNOWN_ERROR", nodeName);
  }

  /** `alipay.user.certify.open.initialize`: only the self, ID-card form of identity_param the adapter sends. */
  function certifyInitialize(params: Record<string, string>): object {
    const nodeName = responseNodeName(CERTIFY_INITIALIZE);
    const biz = bizContent(params, nodeName);
    const identity = biz.identity_param;
    const merchant = biz.merchant_config;
    // identity_param must be an object, not a JSON string (the .NET SDK bug, docs/providers.md §3.9a).
    if (!isObject(identity) || identity.identity_type !== "CERT_INFO" || identity.cert_type !== "IDENTITY_CARD")
      throw unknownError(nodeName);
    if (!nonEmptyString(identity.cert_name) || !nonEmptyString(identity.cert_no)) throw unknownError(nodeName);
    if (typeof biz.biz_code !== "string" || !BIZ_CODES.has(biz.biz_code)) throw unknownError(nodeName);
    if (typeof biz.outer_order_no !== "string" || !OUTER_ORDER_NO.test(biz.outer_order_no)) throw unknownError(nodeName);
    if (!isObject(merchant) || (merchant.return_url !== undefined && typeof merchant.return_url !== "string")) throw unknownError(nodeName);
    if (certifyIdsByOrder.has(biz.outer_order_no)) throw new Refusal("40004", DUPLICATE_ORDER_SUB_CODE, "商户请求号重复", nodeName);
    const certifyId = randomBytes(16).toString("hex");
    certifyIdsByOrder.set(biz.outer_order_no, certifyId);
    certifications.set(certifyId, {
      certName: identity.cert_name,
      certNo: identity.cert_no,
      returnUrl: merchant.return_url ?? "",
      pageOpened: false,
      passed: null,
    });
    return { code: "10000", msg: "Success", certify_id: certifyId };
  }

  /** The certify_id in biz_content and its check, or OPEN_CERTIFY_BILL_NOT_EXIST in `nodeName`. */
  function certification(params: Record<string, string>, nodeName: string): readonly [string, Certification] {
    const certifyId = bizContent(params, nodeName).certify_id;
    const found = typeof certifyId === "string" ? certifications.get(certifyId) : undefined;
    if (found === undefined) throw new Refusal("40004", "OPEN_CERTIFY_BILL_NOT_EXIST", "无效的certify_id", nodeName);
    return [certifyId as string, found];
  }

  /** `alipay.user.certify.open.query`: "F" both before the person finishes and after a failed check. */
  function certifyQuery(params: Record<string, string>): object {
    const [, check] = certification(params, responseNodeName(CERTIFY_QUERY));
    return { code: "10000", msg: "Success", passed: check.passed === true ? "T" : "F", identity_info: "{}", material_info: "{}" };
  }

  /**
   * The signed GET URL of `alipay.user.certify.open.certify`, as the person's Alipay app opens it: checked
   * like an API call, answered with an HTML page (an error page with 400 when refused).
   */
  function certifyPage(response: ServerResponse, params: Record<string, string>, injected: InjectedError | undefined): void {
    try {
      checkCommon(params, (method) => options.identityVerification === true && method === CERTIFY_PAGE);
      if (injected) throw injectedRefusal(injected);
      const [certifyId, check] = certification(params, ERROR_NODE);
      check.pageOpened = true;
      response.writeHead(200, { "Content-Type": "text/html;charset=utf-8" }).end(`<html><body>支付宝身份验证 ${certifyId}</body></html>`);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      response
        .writeHead(400, { "Content-Type": "text/html;charset=utf-8" })
        .end(`<html><body>${error.code} ${error.subCode}</body></html>`);
    }
  }

  /** `{"<node>":{…},"sign":"…"}`, signed over exactly the node text emitted. */
  function send(response: ServerResponse, nodeName: string, node: object, signed: boolean): void {
    const rawNode = JSON.stringify(node);
    let body = `{${JSON.stringify(nodeName)}:${rawNode}`;
    if (signed) {
      const signature = signRsa2(corruptNext ? `${rawNode} ` : rawNode, alipayPrivateKey);
      corruptNext = false;
      body += `,"sign":${JSON.stringify(signature)}`;
    }
    // The real gateway labels its JSON text/html.
    response.writeHead(200, { "Content-Type": "text/html;charset=utf-8" });
    response.end(`${body}}`);
  }

  function handle(request: IncomingMessage, response: ServerResponse, body: string, injected: InjectedError | undefined): void {
    const url = new URL(request.url ?? "/", "http://fake");
    if ((request.method !== "POST" && request.method !== "GET") || url.pathname !== "/gateway.do") {
      response.writeHead(404, { "Content-Type": "text/html" }).end("<html><body>404</body></html>");
      return;
    }
    // The SDKs send common parameters in the query and the rest in the form body; the gateway merges them.
    const form = (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ? body : "";
    const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(form)]);
    requests.push({ method: params.method ?? "", params });
    // Only page-redirect APIs are opened with a GET, and the certify page is the only one the fake serves.
    if (request.method === "GET") {
      certifyPage(response, params, injected);
      return;
    }
    try {
      checkCommon(params, (method) => apis.has(method));
      if (injected) throw injectedRefusal(injected);
      const api = apis.get(params.method) as (params: Record<string, string>) => object;
      send(response, responseNodeName(params.method), api(params), true);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const node = { code: error.code, msg: GATEWAY_MESSAGES[error.code], sub_code: error.subCode, sub_msg: error.subMsg };
      send(response, error.nodeName, node, error.signed);
    }
  }

  const server = await startVendorServer(handle);
  return Object.assign(server, {
    authorizeUrlBase: `${server.url}/oauth2/publicAppAuthorize.htm`,
    issueAuthCode(person: AlipayPerson): string {
      if (person.userId === undefined && person.openId === undefined)
        throw new Error("issueAuthCode: a person needs a userId or an openId");
      const code = randomBytes(16).toString("hex");
      authCodes.set(code, person);
      return code;
    },
    requests,
    corruptNextSignature() {
      corruptNext = true;
    },
    certifications,
    certifyIdFor(outerOrderNo: string): string | undefined {
      return certifyIdsByOrder.get(outerOrderNo);
    },
    completeCertification(certifyId: string, passed: boolean): void {
      const check = certifications.get(certifyId);
      if (check === undefined) throw new Error(`completeCertification: no check ${certifyId}`);
      // The face check happens on the certify page: a verifyUrl nobody could open cannot be completed.
      if (!check.pageOpened) throw new Error(`completeCertification: the certify page of ${certifyId} was never opened`);
      check.passed = passed;
    },
  });
}
