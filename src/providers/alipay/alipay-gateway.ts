import type { KeyObject } from "node:crypto";
import type { AlipayConfig } from "../../config";
import type { Clock } from "../../core/clock";
import { callVendor, parseVendorJson } from "../http";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import {
  ERROR_NODE,
  normalizePrivateKey,
  normalizePublicKey,
  signContent,
  signRsa2,
  splitResponse,
  verifyResponseNode,
} from "./alipay-signature";

export interface GatewayCallOptions {
  /** Business parameters, sent as the `biz_content` JSON string. */
  readonly bizContent?: object;
  /** Top-level parameters some APIs take instead of biz_content, e.g. `grant_type`/`code` or `auth_token`. */
  readonly params?: Readonly<Record<string, string>>;
}

/** What every response node may carry besides the method's own fields. */
interface GatewayStatus {
  readonly code?: unknown;
  readonly msg?: unknown;
  readonly sub_code?: unknown;
  readonly sub_msg?: unknown;
}

/** The parameters the node and Java SDKs send in the URL query; all others go in the form body (docs/providers.md §3.2). */
const QUERY_PARAMS = new Set([
  "app_id",
  "method",
  "format",
  "charset",
  "sign_type",
  "sign",
  "timestamp",
  "version",
  "notify_url",
  "return_url",
  "auth_token",
  "app_auth_token",
  "app_cert_sn",
  "alipay_root_cert_sn",
]);

/** 40005 and these sub_codes mean we call too often (`isv.app-call-limited`, `isp.more-than-limit`, `ACQ.*FREQUENCY*`, `*_RATE_LIMIT`). */
const RATE_LIMIT_SUB_CODE = /call-limited|more-than-limit|rate[-_]limit|frequen/i;

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `yyyy-MM-dd HH:mm:ss` in China time (UTC+8), whatever the server's time zone. */
export function gatewayTimestamp(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** encodeURIComponent, as the node SDK encodes both the query and the body (space as %20). */
function formEncode(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Alipay's own fault (20000, `isp.*`) is worth retrying; throttling is RATE_LIMITED; everything else
 * (bad arguments or signature, used codes, invalid tokens, missing permissions, business failures) is
 * a refusal of our request.
 */
function classify(code: string | undefined, subCode: string | undefined): ProviderErrorCode {
  if (code === "40005" || (subCode !== undefined && RATE_LIMIT_SUB_CODE.test(subCode))) return ProviderErrorCode.RATE_LIMITED;
  if (code === "20000" || subCode?.startsWith("isp.")) return ProviderErrorCode.UNAVAILABLE;
  return ProviderErrorCode.REJECTED;
}

/** A signature failure's sub_msg quotes the gateway's string to sign, which holds codes and tokens: cut it. */
function safeDetail(status: GatewayStatus): string {
  const detail = text(status.sub_msg) ?? text(status.msg);
  return detail === undefined ? "" : `: ${detail.replace(/验签字符串.*$/s, "验签字符串…")}`;
}

/**
 * A client for the OpenAPI 2.0 gateway (`gateway.do`): signs each call with the app's private key
 * (RSA2) and trusts an answer only once Alipay's signature over its node verifies. A new API is one
 * `call(method, { bizContent, params })`.
 */
export class AlipayGateway {
  private readonly privateKey: KeyObject;
  private readonly alipayPublicKey: KeyObject;

  constructor(
    private readonly config: AlipayConfig,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {
    // Parsed once, so a malformed key fails at start-up rather than on a user's sign-in.
    this.privateKey = normalizePrivateKey(config.privateKey);
    this.alipayPublicKey = normalizePublicKey(config.alipayPublicKey);
  }

  /** Returns the method's response node on success (`code` 10000, or no code and no sub_code); fails with a ProviderError otherwise. */
  async call<T>(method: string, options: GatewayCallOptions = {}): Promise<T> {
    const params = this.signedParams(method, options);
    const query: Record<string, string> = {};
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      if (QUERY_PARAMS.has(name)) query[name] = value;
      else form[name] = value;
    }
    const response = await callVendor(
      `${this.config.gateway}?${formEncode(query)}`,
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded;charset=utf-8" }, body: formEncode(form) },
      this.timeoutMs,
    );
    return this.read<T>(method, response.text);
  }

  /**
   * The signed GET URL of a page-redirect API (the SDKs' pageExecute), e.g.
   * `alipay.user.certify.open.certify`: the person's browser or Alipay app opens it, we never call it.
   * Every parameter, biz_content and sign included, goes in the query.
   */
  pageUrl(method: string, bizContent: object): string {
    return `${this.config.gateway}?${formEncode(this.signedParams(method, { bizContent }))}`;
  }

  private signedParams(method: string, options: GatewayCallOptions): Record<string, string> {
    const params: Record<string, string> = {
      ...options.params,
      app_id: this.config.appId,
      method,
      format: "JSON",
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: gatewayTimestamp(this.clock.now()),
      version: "1.0",
      ...(options.bizContent === undefined ? {} : { biz_content: JSON.stringify(options.bizContent) }),
    };
    params.sign = signRsa2(signContent(params), this.privateKey);
    return params;
  }

  private read<T>(method: string, body: string): T {
    // A body that is not JSON at all fails like every vendor's, before the node is looked for.
    parseVendorJson<unknown>(body, "alipay");
    const split = splitResponse(body, method);
    if (split === undefined)
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${method}: no single response node in the answer`);
    if (split.sign !== undefined && !verifyResponseNode(split.rawNode, split.sign, this.alipayPublicKey)) {
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${method}: the response signature does not verify`);
    }
    const node = JSON.parse(split.rawNode) as GatewayStatus;
    const code = text(node.code);
    const subCode = text(node.sub_code);
    // Older oauth.token answers omit `code` on success (docs/providers.md §3.7).
    if (split.nodeName !== ERROR_NODE && (code === "10000" || (code === undefined && subCode === undefined))) {
      // Only a failure may come unsigned (e.g. an unknown app_id, for which the gateway has no key): it can only make us fail.
      if (split.sign === undefined)
        throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${method}: unsigned success answer`);
      return node as T;
    }
    if (code === undefined && subCode === undefined) {
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${method}: error answer without a code`);
    }
    const codes = [code, subCode].filter((part) => part !== undefined).join("/");
    throw new ProviderError(classify(code, subCode), `alipay ${method} failed: ${codes}${safeDetail(node)}`, subCode ?? code);
  }
}
