import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { systemClock, type Clock } from "../../src/core/clock";
import { startVendorServer, type InjectedError, type VendorServer } from "./vendor-server";

/** Who consents at the fake; `headimgurl` defaults to "" (no avatar), unionid is left out when absent. */
export interface WechatPerson {
  readonly openid: string;
  readonly unionid?: string;
  readonly nickname: string;
  readonly headimgurl?: string;
}

/**
 * A loopback stand-in for WeChat website login's `sns/oauth2/access_token` and `sns/userinfo`. Every
 * error is HTTP 200 with `{errcode, errmsg}`; an injected `failNext(code, message)` answers
 * `{"errcode": Number(code), "errmsg": message}` once the request has passed the checks (a code is not
 * spent by it).
 */
export interface FakeWechat extends VendorServer {
  /** Registers a code for this person: valid 10 minutes by the fake's clock, exchangeable once. */
  issueCode(person: WechatPerson): string;
  /** Path and query of each request that reached the checks, in order (status and hang faults are not). */
  readonly requests: string[];
}

/** Ends the handling of a request with a WeChat error. */
class Refusal extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** Production errmsg carries a request-id suffix; the adapter must match errcode only. */
function refuse(errcode: number, errmsg: string): Refusal {
  return new Refusal(errcode, `${errmsg}, hints: [ req_id: ${randomBytes(7).toString("hex")} ]`);
}

export async function startFakeWechat(app: { appId: string; appSecret: string }, clock: Clock = systemClock): Promise<FakeWechat> {
  const codes = new Map<string, { person: WechatPerson; issuedAt: number; used: boolean }>();
  const tokens = new Map<string, WechatPerson>();
  const requests: string[] = [];

  function exchange(params: URLSearchParams, injected: InjectedError | undefined): object {
    const appid = params.get("appid");
    if (!appid) throw refuse(41002, "appid missing");
    if (appid !== app.appId) throw refuse(40013, "invalid appid");
    const secret = params.get("secret");
    if (!secret) throw refuse(41004, "appsecret missing");
    if (secret !== app.appSecret) throw refuse(40125, "invalid appsecret");
    const code = params.get("code");
    if (!code) throw refuse(41008, "missing code");
    if (params.get("grant_type") !== "authorization_code") throw refuse(40002, "invalid grant_type");
    const issued = codes.get(code);
    if (issued === undefined) throw refuse(40029, "invalid code");
    if (issued.used) throw refuse(40163, "code been used");
    if (clock.now().getTime() - issued.issuedAt > CODE_LIFETIME_MS) throw refuse(42003, "oauth_code 超时");
    if (injected) throw new Refusal(Number(injected.code), injected.message);
    issued.used = true;
    const { person } = issued;
    const accessToken = randomBytes(48).toString("base64url");
    tokens.set(accessToken, person);
    return {
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: randomBytes(48).toString("base64url"),
      openid: person.openid,
      scope: "snsapi_login",
      ...(person.unionid === undefined ? {} : { unionid: person.unionid }),
    };
  }

  function userinfo(params: URLSearchParams, injected: InjectedError | undefined): object {
    const accessToken = params.get("access_token");
    if (!accessToken) throw refuse(41001, "access_token missing");
    const openid = params.get("openid");
    if (!openid) throw refuse(41009, "missing openid");
    const person = tokens.get(accessToken);
    if (person === undefined) throw refuse(40001, "invalid credential, access_token is invalid or not latest");
    if (person.openid !== openid) throw refuse(40003, "invalid openid");
    if (injected) throw new Refusal(Number(injected.code), injected.message);
    // Website apps no longer get real gender and region: sex 0 and empty strings, as adapters must accept.
    return {
      openid: person.openid,
      nickname: person.nickname,
      sex: 0,
      language: "",
      city: "",
      province: "",
      country: "",
      headimgurl: person.headimgurl ?? "",
      privilege: [],
      ...(person.unionid === undefined ? {} : { unionid: person.unionid }),
    };
  }

  const routes: Record<string, (params: URLSearchParams, injected: InjectedError | undefined) => object> = {
    "/sns/oauth2/access_token": exchange,
    "/sns/userinfo": userinfo,
  };

  function handle(request: IncomingMessage, response: ServerResponse, _body: string, injected: InjectedError | undefined): void {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = request.method === "GET" ? routes[url.pathname] : undefined;
    if (route === undefined) {
      response.writeHead(404, { "Content-Type": "text/html" }).end("<html><body>404 Not Found</body></html>");
      return;
    }
    requests.push(`${url.pathname}${url.search}`);
    let answer: object;
    try {
      answer = route(url.searchParams, injected);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = { errcode: error.errcode, errmsg: error.errmsg };
    }
    response.writeHead(200, { "Content-Type": "application/json; encoding=utf-8" });
    response.end(JSON.stringify(answer));
  }

  const server = await startVendorServer(handle);
  return Object.assign(server, {
    requests,
    issueCode(person: WechatPerson): string {
      const code = randomBytes(16).toString("hex");
      codes.set(code, { person, issuedAt: clock.now().getTime(), used: false });
      return code;
    },
  });
}
