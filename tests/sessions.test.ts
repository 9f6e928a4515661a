import { auditTypes, DEFAULT_PASSWORD, LOGIN, ME, registerUser } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

const SESSIONS = /* GraphQL */ `
  query {
    me {
      sessions {
        id
        current
        createdAt
        lastSeenAt
        userAgent
        ip
      }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeSession(input: { id: $id }) {
      revokedSessionId
      account {
        id
        sessions {
          id
          current
        }
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ SESSION_IDLE_TIMEOUT_SECONDS: "3600", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "7200" });
});
afterAll(() => app.stop());

async function signIn(username: string, userAgent = "jest") {
  const data = await app.client
    .with({ "user-agent": userAgent })
    .ok(LOGIN, { input: { identifier: username, password: DEFAULT_PASSWORD } });
  return app.client.as(data.login.result.token).with({ "user-agent": userAgent });
}

describe("Account.sessions", () => {
  it("lists the signed-in sessions and marks the current one", async () => {
    const user = await registerUser(app.client);
    const laptop = await signIn(user.username, "Laptop/1.0");
    await signIn(user.username, "Phone/2.0");
    const { me } = await laptop.ok(SESSIONS);
    expect(me.sessions).toHaveLength(3);
    expect(me.sessions.filter((s: { current: boolean }) => s.current)).toEqual([
      expect.objectContaining({ current: true, userAgent: "Laptop/1.0", ip: expect.stringContaining("127.0.0.1") }),
    ]);
    expect(me.sessions.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(["Laptop/1.0", "Phone/2.0", "node"].sort());
  });
});

describe("revokeSession", () => {
  it("signs out another session of the account", async () => {
    const user = await registerUser(app.client);
    const phone = await signIn(user.username, "Phone/2.0");
    const { me } = await user.client.ok(SESSIONS);
    const phoneSession = me.sessions.find((s: { userAgent: string }) => s.userAgent === "Phone/2.0");
    const thisSession = me.sessions.find((s: { current: boolean }) => s.current);
    // The payload names the revoked session and lists what is left, so a cache drops it at once.
    const remaining = { revokedSessionId: phoneSession.id, account: { id: user.id, sessions: [{ id: thisSession.id, current: true }] } };
    expect((await user.client.ok(REVOKE, { id: phoneSession.id })).revokeSession).toEqual(remaining);
    expect((await phone.ok(ME)).me).toBeNull();
    expect((await user.client.ok(SESSIONS)).me.sessions).toHaveLength(1);
    expect(await auditTypes(user.client)).toContain("SESSION_REVOKED");
    // Again: nothing is signed in under that id any more; the answer is the same and nothing is logged twice.
    expect((await user.client.ok(REVOKE, { id: phoneSession.id })).revokeSession).toEqual(remaining);
    expect((await auditTypes(user.client)).filter((type) => type === "SESSION_REVOKED")).toHaveLength(1);
  });

  it("cannot touch another account's session", async () => {
    const victim = await registerUser(app.client);
    const attacker = await registerUser(app.client);
    const victimSession = (await victim.client.ok(SESSIONS)).me.sessions[0];
    const { revokeSession } = await attacker.client.ok(REVOKE, { id: victimSession.id });
    expect(revokeSession).toEqual({
      revokedSessionId: victimSession.id,
      account: { id: attacker.id, sessions: [expect.objectContaining({ current: true })] },
    });
    expect((await victim.client.ok(ME)).me.id).toBe(victim.id);
    expect(await auditTypes(victim.client)).not.toContain("SESSION_REVOKED");
  });

  it.each([
    ["empty", ""],
    ["not an id", "abc"],
    ["a number", 42],
    ["SQL", "1' OR '1'='1"],
  ])("refuses an id that is %s", async (_case, id) => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(REVOKE, { id });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await user.client.ok(ME)).me.id).toBe(user.id);
  });
});

describe("sliding expiry", () => {
  it("extends a session while it is used, up to the absolute limit", async () => {
    const user = await registerUser(app.client);
    app.clock.advanceSeconds(50 * 60);
    expect((await user.client.ok(ME)).me?.id).toBe(user.id); // used: now valid until +60 min from here
    app.clock.advanceSeconds(50 * 60);
    expect((await user.client.ok(ME)).me?.id).toBe(user.id);
    app.clock.advanceSeconds(50 * 60); // 150 min after sign-in: past the 120 min absolute limit
    expect((await user.client.ok(ME)).me).toBeNull();
  });

  it("ends a session left idle longer than the idle timeout", async () => {
    const user = await registerUser(app.client);
    app.clock.advanceSeconds(61 * 60);
    expect((await user.client.ok(ME)).me).toBeNull();
    expect((await user.client.fails(`mutation { logout { signedOutSessionId } }`)).extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("does not list expired sessions", async () => {
    const user = await registerUser(app.client);
    const old = await signIn(user.username);
    app.clock.advanceSeconds(59 * 60);
    await user.client.ok(ME); // keeps only this one alive
    app.clock.advanceSeconds(2 * 60);
    expect((await old.ok(ME)).me).toBeNull();
    expect((await user.client.ok(SESSIONS)).me.sessions).toHaveLength(1);
  });
});
