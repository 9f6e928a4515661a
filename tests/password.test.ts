import {
  auditTypes,
  DEFAULT_PASSWORD,
  LOGIN,
  ME,
  REGISTER,
  registerSteppedUp,
  registerUser,
  renewing,
  uniqueUsername,
} from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

const CHANGE_PASSWORD = /* GraphQL */ `
  mutation Change($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedSessionCount
      revokedApiKeyCount
      token
      account {
        id
        security {
          passwordChangedAt
        }
        sessions {
          nodes {
            current
          }
        }
        apiKeys {
          nodes {
            id
          }
        }
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

async function login(identifier: string, password: string) {
  return app.client.request(LOGIN, { input: { identifier, password } });
}

describe("changePassword", () => {
  it("sets the new password, keeps this session under a new token and signs out every other one, and any copy of this one's", async () => {
    const user = await registerUser(app.client);
    const other = (await login(user.username, DEFAULT_PASSWORD)).data!.login.result.token;
    const copy = app.client.as(user.token);
    const newPassword = "a-much-Better-passphrase-42";

    const before = app.clock.now().getTime();
    const changePassword = await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
      input: { oldPassword: DEFAULT_PASSWORD, newPassword },
    });
    // What a cache needs: the moved passwordChangedAt, and only this session left.
    expect(changePassword).toEqual({
      revokedSessionCount: 1,
      revokedApiKeyCount: 0,
      token: expect.stringMatching(/^ses_/),
      account: {
        id: user.id,
        security: { passwordChangedAt: expect.any(String) },
        sessions: { nodes: [{ current: true }] },
        apiKeys: { nodes: [] },
      },
    });
    expect(new Date(changePassword.account.security.passwordChangedAt).getTime()).toBeGreaterThanOrEqual(before);

    expect((await user.client.ok(ME)).me.id).toBe(user.id);
    expect((await app.client.as(other).ok(ME)).me).toBeNull();
    expect((await copy.ok(ME)).me).toBeNull();
    expect((await copy.request(`mutation { logout { signedOutSessionId } }`)).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await login(user.username, DEFAULT_PASSWORD)).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    expect((await login(user.username, newPassword)).data?.login.result.account.id).toBe(user.id);
    expect(await auditTypes(user.client)).toContain("PASSWORD_CHANGED");
    const me = await user.client.ok(ME);
    expect(new Date(me.me.security.passwordChangedAt).getTime()).toBeGreaterThan(new Date(me.me.createdAt).getTime() - 1);
  });

  it.each([
    ["revokes every API key by default", {}, false],
    ["keeps the API keys when asked to (revokeApiKeys: false)", { revokeApiKeys: false }, true],
  ] as const)("%s", async (_case, option, kept) => {
    const user = await registerSteppedUp(app.client);
    const { createApiKey } = await user.client.ok(`mutation { createApiKey(input: { name: "ci" }) { secret } }`);
    const key = app.client.as(createApiKey.secret);
    expect((await key.ok(`{ me { id } }`)).me.id).toBe(user.id);
    const { changePassword } = await user.client.ok(CHANGE_PASSWORD, {
      input: { oldPassword: DEFAULT_PASSWORD, newPassword: "a-much-Better-passphrase-42", ...option },
    });
    expect(changePassword).toMatchObject({
      revokedApiKeyCount: kept ? 0 : 1,
      account: { apiKeys: { nodes: kept ? [{ id: expect.any(String) }] : [] } },
    });
    expect((await key.ok(`{ me { id } }`)).me).toEqual(kept ? { id: user.id } : null);
  });

  it("refuses a wrong old password, logs the attempt and changes nothing", async () => {
    const user = await registerUser(app.client);
    const other = (await login(user.username, DEFAULT_PASSWORD)).data!.login.result.token;
    const error = await user.client.fails(CHANGE_PASSWORD, {
      input: { oldPassword: "wrong-password", newPassword: "another-Good-one-77" },
    });
    expect(error.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field: "oldPassword", code: "INCORRECT" });
    expect((await app.client.as(other).ok(ME)).me.id).toBe(user.id);
    expect((await login(user.username, DEFAULT_PASSWORD)).data?.login.result.account.id).toBe(user.id);
    expect(await auditTypes(user.client)).toContain("PASSWORD_CHANGE_FAILED");
  });

  it.each([
    ["empty", ""],
    ["too short", "Ab3$xyz"],
    ["too long", "Ab3$".repeat(32) + "x"],
    ["one of the most common", "password123"],
    ["common in another letter case", "PassWord123"],
    ["one repeated character", "zzzzzzzzzzzz"],
    ["a number", 12345678],
    ["null", null],
  ])("refuses a new password that is %s and changes nothing", async (_case, newPassword) => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe("newPassword");
    expect((await login(user.username, DEFAULT_PASSWORD)).data?.login.result.account.id).toBe(user.id);
    expect(await auditTypes(user.client)).not.toContain("PASSWORD_CHANGED");
  });

  it("refuses the same password as the new one", async () => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: DEFAULT_PASSWORD } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("needs a session", async () => {
    const error = await app.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: "x-Good-password-9" } });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("password rules at sign-up", () => {
  it("refuses a password that contains the username", async () => {
    const username = uniqueUsername("kate");
    const error = await app.client.fails(REGISTER, { input: { username, password: `${username}!2024` } });
    expect(error.extensions?.fieldErrors).toEqual([
      { field: "password", code: "PASSWORD_CONTAINS_USERNAME", params: {}, messages: ["password must not contain the username"] },
    ]);
  });

  it("counts characters, not bytes: 8 Chinese characters are enough, 128 are allowed", async () => {
    await registerUser(app.client, uniqueUsername(), "我的密码非常安全");
    await registerUser(app.client, uniqueUsername(), "长".repeat(64) + "密".repeat(64));
  });

  it("uses every character of a long password (bcrypt alone would ignore all after 72 bytes)", async () => {
    const prefix = "Correct-Horse-Battery-Staple-".repeat(3); // 87 bytes
    const user = await registerUser(app.client, uniqueUsername(), `${prefix}A`);
    expect((await login(user.username, `${prefix}B`)).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    expect((await login(user.username, `${prefix}A`)).data?.login.result.account.id).toBe(user.id);
  });

  it("matches a password typed in another Unicode normal form", async () => {
    const composed = "P\u00E4sswort-sicher-9";
    const decomposed = "Pa\u0308sswort-sicher-9";
    const user = await registerUser(app.client, uniqueUsername(), composed);
    expect((await login(user.username, decomposed)).data?.login.result.account.id).toBe(user.id);
  });
});
