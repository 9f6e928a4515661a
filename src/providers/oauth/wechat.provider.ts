import type { WechatConfig } from "../../config";
import { callVendor, parseVendorJson } from "../http";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { OAuthProvider } from "../types";

/** Any sns answer may instead be an error, `{errcode, errmsg}`; `errmsg` carries a request-id suffix, so only errcode counts. */
interface WechatAnswer {
  readonly errcode?: unknown;
  readonly errmsg?: unknown;
}

interface TokenAnswer extends WechatAnswer {
  readonly access_token?: unknown;
  readonly openid?: unknown;
  readonly unionid?: unknown;
}

interface UserinfoAnswer extends WechatAnswer {
  readonly nickname?: unknown;
  readonly headimgurl?: unknown;
  readonly unionid?: unknown;
}

const SYSTEM_BUSY = -1;
/** 45009: API daily quota reached; 45011: API called too often. */
const RATE_LIMIT_CODES = new Set([45009, 45011]);

/**
 * "System busy" is worth a retry and frequency limits are throttling; everything else (invalid, used or
 * expired code, wrong appid or secret, missing parameter or scope) is a refusal a retry will not fix.
 */
function classify(errcode: number): ProviderErrorCode {
  if (errcode === SYSTEM_BUSY) return ProviderErrorCode.UNAVAILABLE;
  if (RATE_LIMIT_CODES.has(errcode)) return ProviderErrorCode.RATE_LIMITED;
  return ProviderErrorCode.REJECTED;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Masks credentials in vendor text that goes into an error message, should the vendor echo them. */
function redact(text: string, hidden: readonly string[]): string {
  return hidden.reduce((result, value) => result.split(value).join("***"), text);
}

/** Website QR login (`snsapi_login`): qrconnect, then sns/oauth2/access_token and sns/userinfo. */
export function createWechatProvider(config: WechatConfig, timeoutMs: number): OAuthProvider {
  /** GETs one sns endpoint and returns its body, or throws its errcode. `hidden` never reaches an error message. */
  async function get<T extends WechatAnswer>(path: string, params: Record<string, string>, hidden: readonly string[]): Promise<T> {
    const response = await callVendor(`${config.apiBase}${path}?${new URLSearchParams(params).toString()}`, { method: "GET" }, timeoutMs);
    const body = parseVendorJson<T | null>(response.text, "wechat");
    if (typeof body !== "object" || body === null) {
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `wechat ${path}: HTTP ${response.status}, not a JSON object`);
    }
    // Whether errors always come with HTTP 200 is unconfirmed, so the body decides, whatever the status.
    const errcode = Number(body.errcode);
    if (body.errcode !== undefined && errcode !== 0) {
      const errmsg = typeof body.errmsg === "string" ? ` ${redact(body.errmsg, hidden)}` : "";
      throw new ProviderError(classify(errcode), `wechat ${path} failed: ${errcode}${errmsg}`, String(errcode));
    }
    return body;
  }

  return {
    kind: "WECHAT",
    id: "wechat",
    authorizationUrl(state, redirectUri) {
      const query = `appid=${encodeURIComponent(config.appId)}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_login`;
      return `${config.openBase}/connect/qrconnect?${query}&state=${encodeURIComponent(state)}#wechat_redirect`;
    },
    // WeChat's token call takes no redirect_uri: the callback domain is checked at qrconnect time.
    async exchangeCode(code) {
      const token = await get<TokenAnswer>(
        "/sns/oauth2/access_token",
        { appid: config.appId, secret: config.appSecret, code, grant_type: "authorization_code" },
        [config.appSecret],
      );
      const accessToken = nonEmptyString(token.access_token);
      const openid = nonEmptyString(token.openid);
      if (accessToken === null || openid === null) {
        throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "wechat /sns/oauth2/access_token: no access_token or openid");
      }
      const info = await get<UserinfoAnswer>("/sns/userinfo", { access_token: accessToken, openid }, [config.appSecret, accessToken]);
      return {
        // unionid is the same across the Open Platform account's apps; openid only within this app.
        subject: nonEmptyString(token.unionid) ?? nonEmptyString(info.unionid) ?? openid,
        displayName: nonEmptyString(info.nickname),
        // An empty headimgurl means the user has no avatar.
        avatarUrl: nonEmptyString(info.headimgurl),
      };
    },
  };
}
