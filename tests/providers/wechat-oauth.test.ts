import type { WechatConfig } from "../../src/config";
import { createWechatProvider } from "../../src/providers/oauth/wechat.provider";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import { TestClock } from "../helpers/test-clock";
import { startFakeWechat, type FakeWechat, type WechatPerson } from "../fakes/wechat-oauth.fake";
import { failure } from "../helpers/provider-failure";

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

beforeEach(() => {
  fake.requests.length = 0;
});

afterEach(() => {
  jest.restoreAllMocks();
});

function provider(overrides: Partial<WechatConfig> = {}, timeoutMs = 5000) {
  return createWechatProvider({ ...app, openBase: "https://open.weixin.example", apiBase: fake.url, ...overrides }, timeoutMs);
}

/** Makes the fake answer `code` to the n-th vendor call (1-based); the message may quote that call's URL. */
function failCall(n: number, code: string, message: (url: URL) => string): void {
  const realFetch = global.fetch;
  let calls = 0;
  jest.spyOn(global, "fetch").mockImplementation((input, init) => {
    calls += 1;
    if (calls === n) fake.failNext(code, message(new URL(input instanceof Request ? input.url : String(input))));
    return realFetch(input, init);
  });
}

function query(request: string): [string, string[][]] {
  const url = new URL(request, "http://fake");
  return [url.pathname, [...url.searchParams]];
}

describe("WeChat website login adapter against the fake", () => {
  it("builds the qrconnect URL with the parameters in the documented order", () => {
    expect(provider().authorizationUrl("st/8+x y", REDIRECT)).toBe(
      "https://open.weixin.example/connect/qrconnect?appid=wx8e3a9b1c2d4f5a6b" +
        "&redirect_uri=https%3A%2F%2Faccount.example.com%2Foauth%2Fwechat%2Fcallback" +
        "&response_type=code&scope=snsapi_login&state=st%2F8%2Bx%20y#wechat_redirect",
    );
  });

  it("exchanges a code for the unionid, nickname and avatar, through access_token then userinfo", async () => {
    const code = fake.issueCode(ALICE);
    const profile = await provider().exchangeCode(code, REDIRECT);
    expect(profile).toEqual({
      subject: "o6_bmAlice_unionid_ZOPfL",
      displayName: "小爱",
      avatarUrl: "https://thirdwx.qlogo.cn/mmopen/g3MonAlice/132",
    });
    expect(fake.requests).toHaveLength(2);
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

  it("binds the openid when WeChat gives no unionid, and reads an empty headimgurl as no avatar", async () => {
    const profile = await provider().exchangeCode(fake.issueCode(BOB), REDIRECT);
    expect(profile).toEqual({ subject: "oBob_openid_in_this_app", displayName: "Bob", avatarUrl: null });
  });

  it("refuses a code used twice with 40163", async () => {
    const code = fake.issueCode(ALICE);
    await provider().exchangeCode(code, REDIRECT);
    const error = await failure(provider().exchangeCode(code, REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("40163");
    expect(error.message).toMatch(/^wechat \/sns\/oauth2\/access_token failed: 40163 code been used, hints: \[ req_id: [0-9a-f]{14} \]$/);
  });

  it("refuses an unknown code with 40029", async () => {
    const error = await failure(provider().exchangeCode("0a1b2c3d4e5f60718293a4b5c6d7e8f9", REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("40029");
  });

  it("refuses a code older than 10 minutes with 42003", async () => {
    const code = fake.issueCode(ALICE);
    clock.advanceSeconds(601);
    const error = await failure(provider().exchangeCode(code, REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("42003");
  });

  it("is refused with 40125 for a wrong secret, without the secret in the message", async () => {
    const error = await failure(provider({ appSecret: "0000wrong0secret0000" }).exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("40125");
    expect(error.message).not.toContain("0000wrong0secret0000");
  });

  it("is refused with 40013 for an unknown appid", async () => {
    const error = await failure(provider({ appId: "wx0000000000000000" }).exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("40013");
  });

  it.each([
    ["-1", ProviderErrorCode.UNAVAILABLE],
    ["45009", ProviderErrorCode.RATE_LIMITED],
    ["45011", ProviderErrorCode.RATE_LIMITED],
    ["41008", ProviderErrorCode.REJECTED],
    ["48001", ProviderErrorCode.REJECTED],
  ])("maps errcode %s from the token call to %s", async (errcode, expected) => {
    fake.failNext(errcode, "system error, hints: [ req_id: abc ]");
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(expected);
    expect(error.vendorCode).toBe(errcode);
    expect(fake.requests).toHaveLength(1);
  });

  it("can retry a code after a busy answer: the failed call did not spend it", async () => {
    const code = fake.issueCode(ALICE);
    fake.failNext("-1", "system error");
    expect((await failure(provider().exchangeCode(code, REDIRECT))).code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect((await provider().exchangeCode(code, REDIRECT)).subject).toBe("o6_bmAlice_unionid_ZOPfL");
  });

  it("maps a userinfo error, masking a secret or access token WeChat might echo", async () => {
    let accessToken = "";
    failCall(2, "40001", (url) => {
      accessToken = url.searchParams.get("access_token") ?? "";
      return `invalid credential ${accessToken} for ${app.appSecret}`;
    });
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(accessToken).toMatch(/^[\w-]{64}$/);
    expect(error.code).toBe(ProviderErrorCode.REJECTED);
    expect(error.vendorCode).toBe("40001");
    expect(error.message).toBe("wechat /sns/userinfo failed: 40001 invalid credential *** for ***");
  });

  it("masks the secret in a token-call errmsg", async () => {
    fake.failNext("40125", `invalid appsecret ${app.appSecret}`);
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.message).toBe("wechat /sns/oauth2/access_token failed: 40125 invalid appsecret ***");
  });

  it("gives up on a hung API after timeoutMs", async () => {
    fake.hangNext();
    const started = Date.now();
    const error = await failure(provider({}, 300).exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("treats HTTP 502 as unavailable", async () => {
    fake.failNextWithStatus(502);
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
  });

  it("treats a non-JSON 200 as an invalid response", async () => {
    fake.failNextWithStatus(200);
    const error = await failure(provider().exchangeCode(fake.issueCode(ALICE), REDIRECT));
    expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
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
