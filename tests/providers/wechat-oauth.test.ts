import type { WechatConfig } from "../../src/config";
import { createWechatProvider } from "../../src/providers/oauth/wechat.provider";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { TestClock } from "../helpers/test-clock";
import { startFakeWechat, type FakeWechat, type WechatPerson } from "../fakes/wechat-oauth.fake";
import { oauthProviderContract } from "./oauth-provider.contract";

const app = { appId: "wx8e3a9b1c2d4f5a6b", appSecret: "3f1c0a9e8d7b6c5a4f3e2d1c0b9a8f7e" };
const REDIRECT = "https://account.example.com/oauth/wechat/callback";
const ALICE: WechatPerson = {
  openid: "oAlice_openid_in_this_app",
  unionid: "o6_bmAlice_unionid_ZOPfL",
  nickname: "小爱",
  headimgurl: "https://thirdwx.qlogo.cn/mmopen/g3MonAlice/132",
};
const BOB: WechatPerson = { openid: "oBob_openid_in_this_app", nickname: "Bob" };

let fake: FakeWechat;
const clock = new TestClock();

beforeAll(async () => {
  fake = await startFakeWechat(app, clock);
});

afterAll(async () => {
  await fake.stop();
});

function provider(overrides: Partial<WechatConfig> = {}, timeoutMs = 5000) {
  return createWechatProvider({ ...app, openBase: "https://open.weixin.example", apiBase: fake.url, ...overrides }, timeoutMs);
}

function query(request: string): [string, string[][]] {
  const url = new URL(request, "http://fake");
  return [url.pathname, [...url.searchParams]];
}

oauthProviderContract<WechatConfig>({
  id: "wechat",
  name: "WeChat website login",
  fake: () => fake,
  clock,
  provider,
  redirectUri: REDIRECT,
  authorizeUrl: {
    overrides: {},
    expected:
      "https://open.weixin.example/connect/qrconnect?appid=wx8e3a9b1c2d4f5a6b" +
      "&redirect_uri=https%3A%2F%2Faccount.example.com%2Foauth%2Fwechat%2Fcallback" +
      "&response_type=code&scope=snsapi_login&state=st%2F8%2Bx%20y#wechat_redirect",
  },
  issueCode: (person) => fake.issueCode(person === "withUnionId" ? ALICE : BOB),
  profiles: {
    withUnionId: { subject: "o6_bmAlice_unionid_ZOPfL", displayName: "小爱", avatarUrl: "https://thirdwx.qlogo.cn/mmopen/g3MonAlice/132" },
    // An empty headimgurl is no avatar.
    withoutUnionId: { subject: "oBob_openid_in_this_app", displayName: "Bob", avatarUrl: null },
  },
  paths: ["/sns/oauth2/access_token", "/sns/userinfo"],
  usedCode: {
    vendorCode: "40163",
    message: /^wechat \/sns\/oauth2\/access_token failed: 40163 code been used, hints: \[ req_id: [0-9a-f]{14} \]$/,
  },
  unknownCode: { code: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", vendorCode: "40029" },
  expiredCode: "42003",
  wrongSecret: { overrides: { appSecret: "0000wrong0secret0000" }, secret: "0000wrong0secret0000", vendorCode: "40125" },
  unknownApp: { overrides: { appId: "wx0000000000000000" }, vendorCode: "40013" },
  secret: app.appSecret,
  callErrors: ["40125", "40001"],
  errorCodes: [
    [1, "-1", ProviderErrorCode.UNAVAILABLE],
    [1, "45009", ProviderErrorCode.RATE_LIMITED],
    [1, "45011", ProviderErrorCode.RATE_LIMITED],
    [1, "41008", ProviderErrorCode.REJECTED],
    [1, "48001", ProviderErrorCode.REJECTED],
  ],
});

describe("WeChat website login adapter: what only WeChat does", () => {
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("asks access_token with the app's secret, then userinfo with the token and openid", async () => {
    const code = fake.issueCode(ALICE);
    await provider().exchangeCode(code, REDIRECT);
    expect(query(fake.requests[0])).toEqual([
      "/sns/oauth2/access_token",
      [
        ["appid", app.appId],
        ["secret", app.appSecret],
        ["code", code],
        ["grant_type", "authorization_code"],
      ],
    ]);
    const [path, params] = query(fake.requests[1]);
    expect(path).toBe("/sns/userinfo");
    expect(params.map(([name]) => name)).toEqual(["access_token", "openid"]);
    expect(params[0][1]).toMatch(/^[\w-]{64}$/);
    expect(params[1][1]).toBe("oAlice_openid_in_this_app");
  });
});

describe("the fake WeChat API", () => {
  async function get(pathAndQuery: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${fake.url}${pathAndQuery}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  async function tokenFor(person: WechatPerson): Promise<Record<string, unknown>> {
    const code = fake.issueCode(person);
    return get(`/sns/oauth2/access_token?appid=${app.appId}&secret=${app.appSecret}&code=${code}&grant_type=authorization_code`);
  }

  it("answers the documented token shape, with unionid only for someone who has one", async () => {
    const alice = await tokenFor(ALICE);
    expect(Object.keys(alice)).toEqual(["access_token", "expires_in", "refresh_token", "openid", "scope", "unionid"]);
    expect(alice).toMatchObject({ expires_in: 7200, openid: ALICE.openid, scope: "snsapi_login", unionid: ALICE.unionid });
    expect(Object.keys(await tokenFor(BOB))).not.toContain("unionid");
  });

  it("refuses a grant_type other than authorization_code", async () => {
    const code = fake.issueCode(ALICE);
    const answer = await get(
      `/sns/oauth2/access_token?appid=${app.appId}&secret=${app.appSecret}&code=${code}&grant_type=client_credential`,
    );
    expect(answer.errcode).toBe(40002);
  });

  it("refuses userinfo for an openid the token was not issued for, and an unknown token", async () => {
    const alice = await tokenFor(ALICE);
    expect((await get(`/sns/userinfo?access_token=${String(alice.access_token)}&openid=${BOB.openid}`)).errcode).toBe(40003);
    expect((await get(`/sns/userinfo?access_token=not-a-token&openid=${ALICE.openid}`)).errcode).toBe(40001);
  });
});
