import type { QqConfig } from "../../src/config";
import { createQqProvider } from "../../src/providers/oauth/qq.provider";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { TestClock } from "../helpers/test-clock";
import { qqAvatar40, startFakeQq, type FakeQq, type QqPerson } from "../fakes/qq-oauth.fake";
import { failure } from "../helpers/provider-failure";
import { oauthProviderContract } from "./oauth-provider.contract";

const app = { appId: "101987654", appKey: "9f8e7d6c5b4a39281706f5e4d3c2b1a0" };
const REDIRECT = "https://account.example.com/oauth/qq/callback?from=login";
const ALICE: QqPerson = {
  openid: "A1B2C3D4E5F60718293A4B5C6D7E8F90",
  unionid: "UID_A1B2C3D4E5F60718293A4B5C6D7E8F",
  nickname: "小爱",
  figureurl_qq_2: "http://thirdqq.qlogo.cn/g?b=oidb&k=alice&s=100",
};
const BOB: QqPerson = { openid: "0F1E2D3C4B5A69788796A5B4C3D2E1F0", nickname: "Bob" };

let fake: FakeQq;
let noUnionIdFake: FakeQq;
const clock = new TestClock();

beforeAll(async () => {
  fake = await startFakeQq(app, clock);
  noUnionIdFake = await startFakeQq({ ...app, unionIdPermission: false });
});

afterAll(async () => {
  await fake.stop();
  await noUnionIdFake.stop();
});

beforeEach(() => {
  fake.meFormat = "jsonp";
});

function provider(overrides: Partial<QqConfig> = {}, timeoutMs = 5000) {
  return createQqProvider({ ...app, apiBase: fake.url, ...overrides }, timeoutMs);
}

function query(request: string): [string, string[][]] {
  const url = new URL(request, "http://fake");
  return [url.pathname, [...url.searchParams]];
}

oauthProviderContract<QqConfig>({
  id: "qq",
  name: "QQ Connect",
  fake: () => fake,
  clock,
  provider,
  redirectUri: REDIRECT,
  authorizeUrl: {
    overrides: { apiBase: "https://graph.qq.example" },
    expected:
      "https://graph.qq.example/oauth2.0/authorize?response_type=code&client_id=101987654" +
      "&redirect_uri=https%3A%2F%2Faccount.example.com%2Foauth%2Fqq%2Fcallback%3Ffrom%3Dlogin" +
      "&state=st%2F8%2Bx%20y&scope=get_user_info",
  },
  issueCode: (person) => fake.issueCode(person === "withUnionId" ? ALICE : BOB, REDIRECT),
  profiles: {
    // QQ's http avatars are asked for over https.
    withUnionId: {
      subject: "UID_A1B2C3D4E5F60718293A4B5C6D7E8F",
      displayName: "小爱",
      avatarUrl: "https://thirdqq.qlogo.cn/g?b=oidb&k=alice&s=100",
    },
    // Without figureurl_qq_2, the 40 px QQ avatar everyone has.
    withoutUnionId: { subject: BOB.openid, displayName: "Bob", avatarUrl: qqAvatar40(BOB.openid).replace("http:", "https:") },
  },
  paths: ["/oauth2.0/token", "/oauth2.0/me", "/user/get_user_info"],
  usedCode: { vendorCode: "100020", message: /^qq \/oauth2\.0\/token failed: 100020 code is reused error$/ },
  unknownCode: { code: "0123456789ABCDEF0123456789ABCDEF", vendorCode: "100019" },
  expiredCode: "100019",
  wrongSecret: { overrides: { appKey: "0000wrong0key0000" }, secret: "0000wrong0key0000", vendorCode: "100009" },
  unknownApp: { overrides: { appId: "101000000" }, vendorCode: "100008" },
  secret: app.appKey,
  callErrors: ["100019", "100016", "-1"],
  errorCodes: [
    [1, "100019", ProviderErrorCode.REJECTED],
    [2, "100016", ProviderErrorCode.REJECTED],
    [3, "-6", ProviderErrorCode.RATE_LIMITED],
    [3, "-23", ProviderErrorCode.REJECTED],
    [3, "100030", ProviderErrorCode.REJECTED],
  ],
});

describe("QQ Connect adapter: what only QQ does", () => {
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("asks the token as JSON with the openid, the unionid from /me, then get_user_info for that openid", async () => {
    const code = fake.issueCode(ALICE, REDIRECT);
    await provider().exchangeCode(code, REDIRECT);
    expect(query(fake.requests[0])).toEqual([
      "/oauth2.0/token",
      [
        ["grant_type", "authorization_code"],
        ["client_id", app.appId],
        ["client_secret", app.appKey],
        ["code", code],
        ["redirect_uri", REDIRECT],
        ["fmt", "json"],
        ["need_openid", "1"],
      ],
    ]);
    const [mePath, me] = query(fake.requests[1]);
    expect(mePath).toBe("/oauth2.0/me");
    expect(me.map(([name]) => name)).toEqual(["access_token", "unionid", "fmt"]);
    expect(me[0][1]).toMatch(/^[0-9A-F]{32}$/);
    expect(me.slice(1)).toEqual([
      ["unionid", "1"],
      ["fmt", "json"],
    ]);
    expect(query(fake.requests[2])).toEqual([
      "/user/get_user_info",
      [
        ["access_token", me[0][1]],
        ["oauth_consumer_key", app.appId],
        ["openid", ALICE.openid],
      ],
    ]);
  });

  it("reads /me as plain JSON too", async () => {
    fake.meFormat = "json";
    const profile = await provider().exchangeCode(fake.issueCode(ALICE, REDIRECT), REDIRECT);
    expect(profile.subject).toBe("UID_A1B2C3D4E5F60718293A4B5C6D7E8F");
  });

  it("binds the token's openid for an app without UnionID permission (/me answers 100048)", async () => {
    const profile = await provider({ apiBase: noUnionIdFake.url }).exchangeCode(noUnionIdFake.issueCode(ALICE, REDIRECT), REDIRECT);
    expect(profile.subject).toBe("A1B2C3D4E5F60718293A4B5C6D7E8F90");
    expect(noUnionIdFake.requests.map((request) => new URL(request, "http://fake").pathname)).toEqual([
      "/oauth2.0/token",
      "/oauth2.0/me",
      "/user/get_user_info",
    ]);
  });

  it("refuses a redirect_uri other than the authorize step's with 100010", async () => {
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE, REDIRECT), "https://account.example.com/oauth/qq/callback"));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("100010");
  });
});

describe("the fake QQ Connect API", () => {
  async function get(pathAndQuery: string): Promise<string> {
    const response = await fetch(`${fake.url}${pathAndQuery}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  function tokenQuery(code: string, extra = ""): string {
    const redirect = encodeURIComponent(REDIRECT);
    return `/oauth2.0/token?grant_type=authorization_code&client_id=${app.appId}&client_secret=${app.appKey}&code=${code}&redirect_uri=${redirect}${extra}`;
  }

  it("answers the token call form-encoded and its errors as JSONP without fmt=json", async () => {
    const code = fake.issueCode(ALICE, REDIRECT);
    expect(await get(tokenQuery(code))).toMatch(/^access_token=[0-9A-F]{32}&expires_in=7776000&refresh_token=[0-9A-F]{32}$/);
    expect(await get(tokenQuery(code))).toBe('callback( {"error":100020,"error_description":"code is reused error"} );\n');
  });

  it("gives the openid in the JSON token answer only with need_openid=1", async () => {
    const plain = JSON.parse(await get(tokenQuery(fake.issueCode(ALICE, REDIRECT), "&fmt=json"))) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(["access_token", "expires_in", "refresh_token"]);
    const withOpenid = JSON.parse(await get(tokenQuery(fake.issueCode(ALICE, REDIRECT), "&fmt=json&need_openid=1"))) as Record<
      string,
      unknown
    >;
    expect(withOpenid.openid).toBe(ALICE.openid);
  });

  it("gives the unionid from /me only when asked, and checks the openid in get_user_info", async () => {
    const { access_token: token } = JSON.parse(await get(tokenQuery(fake.issueCode(ALICE, REDIRECT), "&fmt=json"))) as {
      access_token: string;
    };
    expect(await get(`/oauth2.0/me?access_token=${token}`)).toBe(`callback( {"client_id":"${app.appId}","openid":"${ALICE.openid}"} );\n`);
    expect(await get(`/oauth2.0/me?access_token=NOT_A_TOKEN&unionid=1`)).toBe(
      'callback( {"error":100016,"error_description":"access token check failed"} );\n',
    );
    const info = JSON.parse(
      await get(`/user/get_user_info?access_token=${token}&oauth_consumer_key=${app.appId}&openid=${BOB.openid}`),
    ) as Record<string, unknown>;
    expect(info).toEqual({ ret: -1, msg: "client request's parameters are invalid, invalid openid" });
  });
});
