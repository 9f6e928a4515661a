import { AUDIT_TYPES, auditTypes, DEFAULT_PASSWORD, LOGIN, ME, REGISTER, registerUser, uniqueUsername } from "./helpers/accounts";
import { AccountEntity, AuditEventEntity, SessionEntity } from "../src/entities";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe("register", () => {
  it("creates the account, signs it in and logs both events", async () => {
    const username = uniqueUsername("Reg");
    const data = await app.client.ok(REGISTER, { input: { username, password: DEFAULT_PASSWORD } });
    expect(data.register.token).toMatch(/^ses_[A-Za-z0-9_-]{43}$/);
    expect(new Date(data.register.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const me = await app.client.as(data.register.token).ok(ME);
    expect(me.me).toMatchObject({ id: data.register.account.id, username, avatarUrl: null, security: { hasPassword: true } });
    expect(new Date(me.me.createdAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await auditTypes(app.client.as(data.register.token))).toEqual(["SIGN_IN", "ACCOUNT_CREATED"]);
  });

  it("refuses a username taken in any letter case, and creates nothing", async () => {
    const user = await registerUser(app.client, uniqueUsername("Case"));
    const error = await app.client.fails(REGISTER, { input: { username: user.username.toUpperCase(), password: DEFAULT_PASSWORD } });
    expect(error.extensions?.code).toBe("USERNAME_TAKEN");
    const login = await app.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    expect(login.login.result.account.id).toBe(user.id);
  });

  it("accepts Chinese usernames", async () => {
    const user = await registerUser(app.client, `张三_${Math.random().toString(36).slice(2, 8)}`);
    expect((await user.client.ok(ME)).me.username).toBe(user.username);
  });

  it("refuses compatibility characters and radicals that look like ideographs, and creates nothing", async () => {
    for (const username of ["\u2F08民_reg", "\u2E85_reg", "\uF900_reg", "\uFF52\uFF45\uFF47_x"]) {
      const error = await app.client.fails(REGISTER, { input: { username, password: DEFAULT_PASSWORD } });
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.fieldErrors?.[0]).toMatchObject({
        field: "username",
        code: "INVALID_USERNAME",
        messages: [expect.stringMatching(/compatibility form|radicals/)],
      });
      expect(await app.dataSource.getRepository(AccountEntity).countBy({ username })).toBe(0);
    }
  });

  it("reports every invalid field at once with BAD_USER_INPUT", async () => {
    const error = await app.client.fails(REGISTER, { input: { username: "a b", password: "short" } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field).sort()).toEqual(["password", "username"]);
    expect(JSON.stringify(error)).not.toContain("short"); // the submitted values are never echoed
  });
});

describe("login", () => {
  it("signs in by username typed in full-width forms (NFKC), and by a Chinese username", async () => {
    const user = await registerUser(app.client, uniqueUsername("Wide"));
    const fullWidth = [...user.username].map((char) => String.fromCodePoint(char.codePointAt(0)! + 0xfee0)).join("");
    const wide = await app.client.ok(LOGIN, { input: { identifier: fullWidth, password: DEFAULT_PASSWORD } });
    expect(wide.login.result.account.id).toBe(user.id);
    const chinese = await registerUser(app.client, `人民_${Math.random().toString(36).slice(2, 8)}`);
    expect(
      (await app.client.ok(LOGIN, { input: { identifier: chinese.username, password: DEFAULT_PASSWORD } })).login.result.account.id,
    ).toBe(chinese.id);
  });

  it("signs in by username, ignoring letter case and surrounding spaces", async () => {
    const user = await registerUser(app.client, uniqueUsername("Mixed"));
    const data = await app.client.ok(LOGIN, { input: { identifier: `  ${user.username.toUpperCase()} `, password: DEFAULT_PASSWORD } });
    expect(data.login.result.__typename).toBe("AuthPayload");
    expect(data.login.result.account.id).toBe(user.id);
    expect(data.login.result.token).not.toBe(user.token);
    expect((await app.client.as(data.login.result.token).ok(ME)).me.id).toBe(user.id);
  });

  it("answers an unknown username exactly like a wrong password", async () => {
    const user = await registerUser(app.client);
    const wrongPassword = await app.client.fails(LOGIN, { input: { identifier: user.username, password: "not-the-password" } });
    const unknownUser = await app.client.fails(LOGIN, { input: { identifier: uniqueUsername("ghost"), password: "not-the-password" } });
    expect(wrongPassword.extensions).toEqual({ code: "INVALID_CREDENTIALS" });
    expect({ ...unknownUser, path: undefined }).toEqual({ ...wrongPassword, path: undefined });
    // The failure is logged after the answer (tests/enumeration.test.ts says why).
    const logged = await eventually(async () => {
      const types = await auditTypes(user.client);
      return types.length === 3 ? types : undefined;
    });
    expect(logged).toEqual(["SIGN_IN_FAILED", "SIGN_IN", "ACCOUNT_CREATED"]);
  });

  it("records the sign-in with the client's user agent", async () => {
    const user = await registerUser(app.client);
    const browser = app.client.with({ "user-agent": "Mozilla/5.0 (TestBrowser)" });
    const data = await browser.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    const events = await app.client.as(data.login.result.token).ok(`{ me { auditEvents(first: 1) { nodes { type userAgent ip } } } }`);
    expect(events.me.auditEvents.nodes[0]).toEqual({
      type: "SIGN_IN",
      userAgent: "Mozilla/5.0 (TestBrowser)",
      ip: expect.stringContaining("127.0.0.1"),
    });
  });
});

describe("me and logout", () => {
  it("is null without a token, with an unknown token and with a malformed header", async () => {
    expect((await app.client.ok(ME)).me).toBeNull();
    expect((await app.client.as("ses_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ok(ME)).me).toBeNull();
    expect((await app.client.with({ authorization: "Basic dXNlcjpwYXNz" }).ok(ME)).me).toBeNull();
  });

  it("needs a session for account mutations", async () => {
    const error = await app.client.fails(`mutation { logout { signedOutSessionId } }`);
    expect(error.extensions).toEqual({ code: "UNAUTHENTICATED" });
  });

  it("ends the session: the token stops working and the sign-out is logged", async () => {
    const user = await registerUser(app.client);
    const second = await app.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    const [current] = (await user.client.ok(`{ me { sessions { nodes { id current } } } }`)).me.sessions.nodes.filter(
      (s: { current: boolean }) => s.current,
    );
    // The payload names the session that ended, for a cache to drop.
    expect((await user.client.ok(`mutation { logout { signedOutSessionId } }`)).logout).toEqual({ signedOutSessionId: current.id });
    expect((await user.client.ok(ME)).me).toBeNull();
    expect((await user.client.fails(`mutation { logout { signedOutSessionId } }`)).extensions?.code).toBe("UNAUTHENTICATED");
    const other = app.client.as(second.login.result.token);
    expect((await other.ok(ME)).me.id).toBe(user.id);
    const types = (await other.ok(AUDIT_TYPES)).me.auditEvents.nodes.map((n: { type: string }) => n.type);
    expect(types[0]).toBe("SIGN_OUT");
  });
});

describe("malformed input creates and changes nothing", () => {
  async function rowCounts() {
    return Promise.all([AccountEntity, SessionEntity, AuditEventEntity].map((entity) => app.dataSource.getRepository(entity).count()));
  }

  it.each([
    ["an empty username", { username: "", password: DEFAULT_PASSWORD }, "username"],
    ["a 33-character username", { username: "u".repeat(33), password: DEFAULT_PASSWORD }, "username"],
    ["a username with a Cyrillic letter", { username: "p\u0430ypal", password: DEFAULT_PASSWORD }, "username"],
    ["a username with a zero-width joiner", { username: "ali\u200Dce", password: DEFAULT_PASSWORD }, "username"],
    ["a number as username", { username: 42, password: DEFAULT_PASSWORD }, "username"],
    ["an empty password", { username: uniqueUsername(), password: "" }, "password"],
    ["a 129-character password", { username: uniqueUsername(), password: "Ab1-".repeat(32) + "x" }, "password"],
    ["a list as password", { username: uniqueUsername(), password: ["a", "b"] }, "password"],
    ["a missing password", { username: uniqueUsername() }, "input"],
  ])("register with %s", async (_case, input, field) => {
    const before = await rowCounts();
    const error = await app.client.fails(REGISTER, { input });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ["an empty identifier", { identifier: "", password: DEFAULT_PASSWORD }, "identifier"],
    ["a 321-character identifier", { identifier: "x".repeat(321), password: DEFAULT_PASSWORD }, "identifier"],
    ["an empty password", { identifier: "someone", password: "" }, "password"],
    ["a 257-character password", { identifier: "someone", password: "p".repeat(257) }, "password"],
    ["a number as identifier", { identifier: 13812345678, password: DEFAULT_PASSWORD }, "identifier"],
    ["null as password", { identifier: "someone", password: null }, "password"],
  ])("login with %s", async (_case, input, field) => {
    const before = await rowCounts();
    const error = await app.client.fails(LOGIN, { input });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
    expect(await rowCounts()).toEqual(before);
  });
});
