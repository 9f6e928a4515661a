import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { systemClock, type Clock } from "../../src/core/clock";
import { startVendorServer, type InjectedError, type VendorServer } from "./vendor-server";

/** Who consents at the fake; figureurl_qq_2 is left out when absent, as QQ may do. */
export interface QqPerson {
  readonly openid: string;
  readonly unionid?: string;
  readonly nickname: string;
  readonly figureurl_qq_2?: string;
}

/**
 * A loopback stand-in for QQ Connect's `oauth2.0/token`, `oauth2.0/me` and `user/get_user_info`, all
 * HTTP 200. Token errors are `{error, error_description}` (JSONP without fmt=json, where a success is
 * form-encoded); /me answers `callback( {...} );`; get_user_info errors are `{ret, msg}`. An injected
 * `failNext(code, message)` answers in the endpoint's shape once the request has passed the checks (a
 * code is not spent by it).
 */
export interface FakeQq extends VendorServer {
  /** Registers a code for this person and callback: valid 10 minutes by the fake's clock, exchangeable once. */
  issueCode(person: QqPerson, redirectUri: string): string;
  /** Path and query of each request that reached the checks, in order (status and hang faults are not). */
  readonly requests: string[];
  /**
   * How /me answers with fmt=json: "jsonp" (the default, QQ's historical format, so the adapter is seen
   * to read it even when it asked for JSON) or "json" (what the docs promise). Without fmt=json, always JSONP.
   */
  meFormat: "jsonp" | "json";
}

/** figureurl_qq_1, present for everyone: `http://thirdqq.qlogo.cn/g?b=oidb&k=<openid>&s=40`. */
export function qqAvatar40(openid: string): string {
  return `http://thirdqq.qlogo.cn/g?b=oidb&k=${encodeURIComponent(openid)}&s=40`;
}

/** Ends the handling of a request with a QQ error code. */
class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;

function jsonp(value: object): string {
  return `callback( ${JSON.stringify(value)} );\n`;
}

export async function startFakeQq(
  app: { appId: string; appKey: string; /** Defaults to true; without it /me?unionid=1 answers 100048. */ unionIdPermission?: boolean },
  clock: Clock = systemClock,
): Promise<FakeQq> {
  const codes = new Map<string, { person: QqPerson; redirectUri: string; issuedAt: number; used: boolean }>();
  const tokens = new Map<string, QqPerson>();
  const requests: string[] = [];

  /** Returns the body to send (as text): the token endpoint's format depends on fmt. */
  function token(params: URLSearchParams, injected: InjectedError | undefined): string {
    const json = params.get("fmt") === "json";
    try {
      if (params.get("grant_type") !== "authorization_code") throw new Refusal(100004, "param grant_type is wrong or lost");
      const clientId = params.get("client_id");
      if (!clientId) throw new Refusal(100001, "param client_id is wrong or lost");
      if (clientId !== app.appId) throw new Refusal(100008, "client id is illegal");
      const secret = params.get("client_secret");
      if (!secret) throw new Refusal(100002, "param client_secret is wrong or lost");
      if (secret !== app.appKey) throw new Refusal(100009, "client secret is illegal");
      const code = params.get("code");
      if (!code) throw new Refusal(100005, "param code is wrong or lost");
      const issued = codes.get(code);
      // Which code an expired code gets is undocumented: the generic "code to access token" failure here.
      if (issued === undefined || clock.now().getTime() - issued.issuedAt > CODE_LIFETIME_MS)
        throw new Refusal(100019, "code to access token error");
      if (issued.used) throw new Refusal(100020, "code is reused error");
      if (params.get("redirect_uri") !== issued.redirectUri) throw new Refusal(100010, "redirect uri is illegal");
      if (injected) throw new Refusal(Number(injected.code), injected.message);
      issued.used = true;
      const accessToken = randomBytes(16).toString("hex").toUpperCase();
      tokens.set(accessToken, issued.person);
      const answer = {
        access_token: accessToken,
        expires_in: "7776000",
        refresh_token: randomBytes(16).toString("hex").toUpperCase(),
        ...(params.get("need_openid") === "1" ? { openid: issued.person.openid } : {}),
      };
      return json ? JSON.stringify(answer) : new URLSearchParams(answer).toString();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const answer = { error: error.code, error_description: error.message };
      return json ? JSON.stringify(answer) : jsonp(answer);
    }
  }

  function me(params: URLSearchParams, injected: InjectedError | undefined): string {
    let answer: object;
    try {
      const accessToken = params.get("access_token");
      if (!accessToken) throw new Refusal(100007, "param access token is wrong or lost");
      const person = tokens.get(accessToken);
      if (person === undefined) throw new Refusal(100016, "access token check failed");
      const withUnionId = params.get("unionid") === "1";
      if (withUnionId && app.unionIdPermission === false) throw new Refusal(100048, "companyid not set");
      if (injected) throw new Refusal(Number(injected.code), injected.message);
      answer = {
        client_id: app.appId,
        openid: person.openid,
        ...(withUnionId && person.unionid !== undefined ? { unionid: person.unionid } : {}),
      };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = { error: error.code, error_description: error.message };
    }
    return params.get("fmt") === "json" && fake.meFormat === "json" ? JSON.stringify(answer) : jsonp(answer);
  }

  function userInfo(params: URLSearchParams, injected: InjectedError | undefined): string {
    let answer: object;
    try {
      const accessToken = params.get("access_token");
      if (!accessToken) throw new Refusal(100007, "param access token is wrong or lost");
      const person = tokens.get(accessToken);
      if (person === undefined) throw new Refusal(100016, "access token check failed");
      const consumerKey = params.get("oauth_consumer_key");
      if (!consumerKey) throw new Refusal(100001, "param client_id is wrong or lost");
      if (consumerKey !== app.appId) throw new Refusal(100008, "client id is illegal");
      if (params.get("openid") !== person.openid) throw new Refusal(-1, "client request's parameters are invalid, invalid openid");
      if (injected) throw new Refusal(Number(injected.code), injected.message);
      const qzone = `http://qzapp.qlogo.cn/qzapp/${app.appId}/${person.openid}`;
      answer = {
        ret: 0,
        msg: "",
        is_lost: 0,
        nickname: person.nickname,
        gender: "男",
        gender_type: 2,
        province: "",
        city: "",
        year: "1990",
        constellation: "",
        figureurl: `${qzone}/30`,
        figureurl_1: `${qzone}/50`,
        figureurl_2: `${qzone}/100`,
        figureurl_qq_1: qqAvatar40(person.openid),
        ...(person.figureurl_qq_2 === undefined ? {} : { figureurl_qq_2: person.figureurl_qq_2 }),
        is_yellow_vip: "0",
        vip: "0",
        yellow_vip_level: "0",
        level: "0",
        is_yellow_year_vip: "0",
      };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = { ret: error.code, msg: error.message };
    }
    return JSON.stringify(answer);
  }

  const routes: Record<string, (params: URLSearchParams, injected: InjectedError | undefined) => string> = {
    "/oauth2.0/token": token,
    "/oauth2.0/me": me,
    "/user/get_user_info": userInfo,
  };

  function handle(request: IncomingMessage, response: ServerResponse, _body: string, injected: InjectedError | undefined): void {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = request.method === "GET" ? routes[url.pathname] : undefined;
    if (route === undefined) {
      response.writeHead(404, { "Content-Type": "text/html" }).end("<html><body>404 Not Found</body></html>");
      return;
    }
    requests.push(`${url.pathname}${url.search}`);
    const text = route(url.searchParams, injected);
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(text);
  }

  const server = await startVendorServer(handle);
  const fake: FakeQq = Object.assign(server, {
    requests,
    meFormat: "jsonp" as const,
    issueCode(person: QqPerson, redirectUri: string): string {
      const code = randomBytes(16).toString("hex").toUpperCase();
      codes.set(code, { person, redirectUri, issuedAt: clock.now().getTime(), used: false });
      return code;
    },
  });
  return fake;
}
