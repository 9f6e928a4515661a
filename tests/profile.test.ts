import { auditTypes, ME, registerSteppedUp, registerUser, uniqueUsername, type RegisteredUser } from "./helpers/accounts";
import { bindContact, uniqueEmail, uniquePhone } from "./helpers/contacts";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { NOTICE_TEXT } from "../src/modules/notice/notice-messages";
import { NOTICE_LABELS } from "../src/providers/sms/notice-labels";

const UPDATE_PROFILE = /* GraphQL */ `
  mutation Update($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      account {
        id
        username
        avatarUrl
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe("updateProfile", () => {
  it("changes username and avatar, and logs what changed", async () => {
    const user = await registerUser(app.client);
    const username = uniqueUsername("Renamed");
    const avatarUrl = "https://cdn.example.com/avatars/u1.png?size=128";
    const data = await user.client.ok(UPDATE_PROFILE, { input: { username, avatarUrl } });
    expect(data.updateProfile.account).toEqual({ id: user.id, username, avatarUrl });
    expect((await user.client.ok(ME)).me).toMatchObject({ username, avatarUrl });
    expect((await auditTypes(user.client))[0]).toBe("PROFILE_UPDATED");
  });

  it("tells every bound address when the username changes, by a session or an account:write key: the old name no longer signs in", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("renamed");
    const phone = uniquePhone();
    await bindContact(app, user.client, "EMAIL", email);
    await bindContact(app, user.client, "PHONE", phone);
    const key = (await user.client.ok(`mutation { createApiKey(input: { name: "profile", scopes: [ACCOUNT_WRITE] }) { secret } }`))
      .createApiKey.secret;
    const mailNotices = () => app.smtp.mailsTo(email).filter((m) => m.text.includes(NOTICE_TEXT.USERNAME_CHANGED.en)).length;
    const smsNotices = () => app.smsTo(phone).filter((m) => m.templateParam.event === NOTICE_LABELS.USERNAME_CHANGED).length;

    await user.client.ok(UPDATE_PROFILE, { input: { username: uniqueUsername("BySession") } });
    await eventually(() => (mailNotices() === 1 && smsNotices() === 1 ? true : undefined));
    await app.client.as(key).ok(UPDATE_PROFILE, { input: { username: uniqueUsername("ByKey") } });
    await eventually(() => (mailNotices() === 2 && smsNotices() === 2 ? true : undefined));
  });

  it("keeps omitted fields, removes the avatar on null, and logs nothing when nothing changes", async () => {
    const user = await registerUser(app.client);
    await user.client.ok(UPDATE_PROFILE, { input: { avatarUrl: "https://example.com/a.png" } });
    const cleared = await user.client.ok(UPDATE_PROFILE, { input: { avatarUrl: null } });
    expect(cleared.updateProfile.account).toEqual({ id: user.id, username: user.username, avatarUrl: null });
    const before = await auditTypes(user.client);
    await user.client.ok(UPDATE_PROFILE, { input: {} });
    await user.client.ok(UPDATE_PROFILE, { input: { username: user.username } });
    expect(await auditTypes(user.client)).toEqual(before);
  });

  it("lets the owner change only the letter case of their own username", async () => {
    const user = await registerUser(app.client, uniqueUsername("lower"));
    const data = await user.client.ok(UPDATE_PROFILE, { input: { username: user.username.toUpperCase() } });
    expect(data.updateProfile.account.username).toBe(user.username.toUpperCase());
  });

  it("refuses a username another account has in any letter case", async () => {
    const owner = await registerUser(app.client, uniqueUsername("Owner"));
    const user = await registerUser(app.client);
    const error = await user.client.fails(UPDATE_PROFILE, { input: { username: owner.username.toLowerCase() } });
    expect(error.extensions?.code).toBe("USERNAME_TAKEN");
    expect((await user.client.ok(ME)).me.username).toBe(user.username);
  });

  it("needs a session", async () => {
    const error = await app.client.fails(UPDATE_PROFILE, { input: { avatarUrl: null } });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("updateProfile with bad input changes nothing", () => {
  let user: RegisteredUser;
  let snapshot: unknown;
  let events: string[];
  beforeAll(async () => {
    user = await registerUser(app.client);
    await user.client.ok(UPDATE_PROFILE, { input: { avatarUrl: "https://example.com/original.png" } });
    snapshot = (await user.client.ok(ME)).me;
    events = await auditTypes(user.client);
  });
  afterEach(async () => {
    expect((await user.client.ok(ME)).me).toEqual(snapshot);
    expect(await auditTypes(user.client)).toEqual(events);
  });

  const badUsernames: [string, unknown][] = [
    ["empty", ""],
    ["too short", "ab"],
    ["too long", "a".repeat(33)],
    ["a space", "john smith"],
    ["surrounding spaces", " john "],
    ["a newline", "john\n"],
    ["a Cyrillic look-alike letter", "\u0430dmin"],
    ["a zero-width space", "ad\u200Bmin"],
    ["a right-to-left override", "admin\u202Egpj"],
    ["full-width letters", "\uFF41\uFF44\uFF4D\uFF49\uFF4E"],
    ["an emoji", "admin😀"],
    ["a NUL byte", "adm\u0000in"],
    ["SQL", "x' OR '1'='1"],
    ["a Kangxi radical that looks like 人", "\u2F08民ab"],
    ["a CJK radical supplement form that looks like 亻", "\u2E85ab"],
    ["a CJK compatibility ideograph (豈 for 豈)", "\uF900ab"],
    ["a Hangzhou numeral that looks like 十", "\u3038ab"],
  ];
  it.each(badUsernames)("username with %s", async (_case, username) => {
    const error = await user.client.fails(UPDATE_PROFILE, { input: { username } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe("username");
  });

  it.each([
    ["\uFF41dmin", /"ａ" \(U\+FF41\) is a compatibility form of "a"/],
    ["\u2F08民ab", /"⼈" \(U\+2F08\) is a compatibility form of "人"/],
    ["\uF900ab", /\(U\+F900\) is a compatibility form of "\u8C48"/],
    ["\u2E85ab", /must not contain radicals or numerals that look like ideographs: "⺅" \(U\+2E85\)/],
  ])("says which character of %s is refused and why", async (username, message) => {
    const error = await user.client.fails(UPDATE_PROFILE, { input: { username } });
    expect(error.extensions?.fieldErrors).toEqual([
      { field: "username", code: "INVALID_USERNAME", params: { min: 3, max: 32 }, messages: [expect.stringMatching(message)] },
    ]);
  });

  const badAvatars: [string, unknown][] = [
    ["empty", ""],
    ["plain http", "http://example.com/a.png"],
    ["javascript", "javascript:alert(1)"],
    ["a data URL", "data:image/png;base64,iVBORw0KGgo="],
    ["no scheme", "//example.com/a.png"],
    ["a relative path", "/avatars/a.png"],
    ["credentials", "https://user:pass@example.com/a.png"],
    ["no top-level domain", "https://localhost/a.png"],
    ["a space", "https://exa mple.com/a.png"],
    ["2049 characters", `https://example.com/${"a".repeat(2029)}`],
  ];
  it.each(badAvatars)("avatarUrl that is %s", async (_case, avatarUrl) => {
    const error = await user.client.fails(UPDATE_PROFILE, { input: { avatarUrl } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe("avatarUrl");
  });

  it.each([
    ["a number as username", { username: 12345 }, "username"],
    ["an object as avatarUrl", { avatarUrl: { href: "https://example.com" } }, "avatarUrl"],
    ["an unknown field", { nickname: "x" }, "input"],
  ])("%s", async (_case, input, field) => {
    const error = await user.client.fails(UPDATE_PROFILE, { input });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
  });

  it("accepts an avatar of exactly 2048 characters", async () => {
    const avatarUrl = `https://example.com/${"a".repeat(2028)}`;
    expect(avatarUrl).toHaveLength(2048);
    const other = await registerUser(app.client);
    expect((await other.client.ok(UPDATE_PROFILE, { input: { avatarUrl } })).updateProfile.account.avatarUrl).toBe(avatarUrl);
  });
});
