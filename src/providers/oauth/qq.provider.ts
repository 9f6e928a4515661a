import type { QqConfig } from "../../config";
import { callVendor, parseVendorJson } from "../http";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { OAuthProvider } from "../types";

/** Token and /me errors: `{error, error_description}`; `code`/`msg` is accepted as the same thing. */
interface OAuthAnswer {
  readonly error?: unknown;
  readonly error_description?: unknown;
  readonly code?: unknown;
  readonly msg?: unknown;
}

interface TokenAnswer extends OAuthAnswer {
  readonly access_token?: unknown;
  readonly openid?: unknown;
}

interface MeAnswer extends OAuthAnswer {
  readonly openid?: unknown;
  readonly unionid?: unknown;
}

interface UserInfoAnswer {
  readonly ret?: unknown;
  readonly msg?: unknown;
  readonly nickname?: unknown;
  readonly figureurl_qq_2?: unknown;
  readonly figureurl_qq_1?: unknown;
  readonly figureurl_2?: unknown;
}

/** QQ's legacy wrapper, `callback( {...} );`, which /me (and legacy-mode errors) may send even when JSON was asked for. */
const JSONP = /^\s*callback\(\s*([\s\S]*?)\s*\)\s*;?\s*$/;

/** /me's answer when the app has no UnionID permission ("companyid not set"). */
const NO_UNIONID_PERMISSION = "100048";

/**
 * -6 is the Tencent OpenAPI "app exceeds the API's frequency limit" code (UNCONFIRMED for graph.qq.com,
 * which documents no rate code). Every code in the QQ Connect table (bad/used code 100019/100020, bad
 * token 100013-100016, bad appid/appkey/callback, missing permission) and get_user_info's negative
 * parameter errors are refusals; QQ documents no "busy, retry" code, so only transport failures are
 * UNAVAILABLE.
 */
function classify(code: string): ProviderErrorCode {
  return code === "-6" ? ProviderErrorCode.RATE_LIMITED : ProviderErrorCode.REJECTED;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Masks credentials in vendor text that goes into an error message, should the vendor echo them. */
function redact(text: string, hidden: readonly string[]): string {
  return hidden.reduce((result, value) => result.split(value).join("***"), text);
}

/** QQ avatars are on qlogo.cn, which also serves https; QQ still hands out http URLs. */
function preferHttps(url: string): string {
  return url.replace(/^http:\/\//, "https://");
}

/** QQ Connect OAuth 2.0: authorize, token (fmt=json), /me (unionid=1), then user/get_user_info. */
export function createQqProvider(config: QqConfig, timeoutMs: number): OAuthProvider {
  /** GETs one endpoint and returns its body as an object, plain JSON or JSONP. */
  async function get<T>(path: string, params: Record<string, string>): Promise<T> {
    const response = await callVendor(`${config.apiBase}${path}?${new URLSearchParams(params).toString()}`, { method: "GET" }, timeoutMs);
    const jsonp = JSONP.exec(response.text);
    const body = parseVendorJson<T | null>(jsonp ? jsonp[1] : response.text, "qq");
    if (typeof body !== "object" || body === null) {
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `qq ${path}: HTTP ${response.status}, not a JSON object`);
    }
    return body;
  }

  function failure(path: string, code: unknown, description: unknown, hidden: readonly string[]): ProviderError {
    const detail = typeof description === "string" ? ` ${redact(description, hidden)}` : "";
    return new ProviderError(classify(String(code)), `qq ${path} failed: ${String(code)}${detail}`, String(code));
  }

  /** The OAuth endpoints' error check; `hidden` never reaches an error message. */
  async function getOAuth<T extends OAuthAnswer>(path: string, params: Record<string, string>, hidden: readonly string[]): Promise<T> {
    const body = await get<T>(path, params);
    const code = body.error ?? body.code;
    if (code !== undefined && Number(code) !== 0) throw failure(path, code, body.error_description ?? body.msg, hidden);
    return body;
  }

  /**
   * Always asks /me with unionid=1, even when the token answer has the openid, since only /me gives the
   * unionid; an app without UnionID permission falls back to the token's openid, so its subjects stay openids.
   */
  async function identify(accessToken: string, tokenOpenid: string | null): Promise<{ openid: string; unionid: string | null }> {
    let me: MeAnswer;
    try {
      me = await getOAuth<MeAnswer>("/oauth2.0/me", { access_token: accessToken, unionid: "1", fmt: "json" }, [config.appKey, accessToken]);
    } catch (error) {
      if (error instanceof ProviderError && error.vendorCode === NO_UNIONID_PERMISSION && tokenOpenid !== null) {
        return { openid: tokenOpenid, unionid: null };
      }
      throw error;
    }
    const openid = nonEmptyString(me.openid);
    if (openid === null) throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "qq /oauth2.0/me: no openid");
    return { openid, unionid: nonEmptyString(me.unionid) };
  }

  return {
    kind: "QQ",
    id: "qq",
    authorizationUrl(state, redirectUri) {
      const query = `response_type=code&client_id=${encodeURIComponent(config.appId)}&redirect_uri=${encodeURIComponent(redirectUri)}`;
      return `${config.apiBase}/oauth2.0/authorize?${query}&state=${encodeURIComponent(state)}&scope=get_user_info`;
    },
    async exchangeCode(code, redirectUri) {
      const token = await getOAuth<TokenAnswer>(
        "/oauth2.0/token",
        {
          grant_type: "authorization_code",
          client_id: config.appId,
          client_secret: config.appKey,
          code,
          redirect_uri: redirectUri,
          // JSON instead of the historical form encoding; need_openid=1 (UNCONFIRMED) adds the openid.
          fmt: "json",
          need_openid: "1",
        },
        [config.appKey],
      );
      const accessToken = nonEmptyString(token.access_token);
      if (accessToken === null) throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "qq /oauth2.0/token: no access_token");
      const { openid, unionid } = await identify(accessToken, nonEmptyString(token.openid));

      const path = "/user/get_user_info";
      const info = await get<UserInfoAnswer>(path, { access_token: accessToken, oauth_consumer_key: config.appId, openid });
      if (info.ret === undefined) throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `qq ${path}: no ret`);
      if (Number(info.ret) !== 0) throw failure(path, info.ret, info.msg, [config.appKey, accessToken]);
      // figureurl_qq_2 (100 px) may be missing; figureurl_qq_1 (40 px) is always there; figureurl_2 is the Qzone one.
      const avatar = nonEmptyString(info.figureurl_qq_2) ?? nonEmptyString(info.figureurl_qq_1) ?? nonEmptyString(info.figureurl_2);
      return {
        // unionid is the same across this developer's QQ apps; openid only within this app.
        subject: unionid ?? openid,
        displayName: nonEmptyString(info.nickname),
        avatarUrl: avatar === null ? null : preferHttps(avatar),
      };
    },
  };
}
