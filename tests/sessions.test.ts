import { auditTypes, DEFAULT_PASSWORD, LOGIN, ME, registerUser } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

const SESSIONS = /* GraphQL */ `
  query {
    me {
      sessions {
        nodes {
          id
          current
          createdAt
          lastSeenAt
          userAgent
          ip
        }
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
          nodes {
            id
            current
          }
        }
      }
    }
  }
`;

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String) {
    me {
      sessions(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            userAgent
          }
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
          endCursor
        }
        totalCount
      }
    }
  }
`;

interface SessionPage {
  edges: { cursor: string; node: { id: string; userAgent: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number;
}

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
    expect(me.sessions.nodes).toHaveLength(3);
    expect(me.sessions.nodes.filter((s: { current: boolean }) => s.current)).toEqual([
      expect.objectContaining({ current: true, userAgent: "Laptop/1.0", ip: expect.stringContaining("127.0.0.1") }),
    ]);
    expect(me.sessions.nodes.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(["Laptop/1.0", "Phone/2.0", "node"].sort());
  });

  it("pages most recently used first; a session used meanwhile moves to the front, and cursors keep their place", async () => {
    const user = await registerUser(app.client.with({ "user-agent": "A" }));
    for (const agent of ["B", "C", "D"]) {
      app.clock.advanceSeconds(1);
      await signIn(user.username, agent);
    }
    const page = async (variables: { first?: number; after?: string | null }) =>
      (await user.client.ok(PAGE, variables)).me.sessions as SessionPage;
    const agents = (each: SessionPage) => each.edges.map((edge) => edge.node.userAgent);

    const first = await page({ first: 2 });
    expect(agents(first)).toEqual(["D", "C"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: first.edges[1].cursor });
    expect(first.totalCount).toBe(4);
    const rest = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(agents(rest)).toEqual(["B", "A"]);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    // A's session makes a request past the touch interval: it is the most recently used now.
    app.clock.advanceSeconds(61);
    await user.client.ok(ME);
    expect(agents(await page({}))).toEqual(["A", "D", "C", "B"]);
    // The cursor read before still finds its place, and A, moved in front of it, is no longer after it.
    expect(agents(await page({ first: 2, after: first.pageInfo.endCursor }))).toEqual(["B"]);
  });

  it.each([
    ["first 0", { first: 0 }, "first", "TOO_SMALL"],
    ["first 101", { first: 101 }, "first", "TOO_LARGE"],
    ["a cursor that is not one", { after: "abc" }, "after", "INVALID_CURSOR"],
    ["a security-log cursor", { after: Buffer.from("1:2").toString("base64url") }, "after", "INVALID_CURSOR"],
    [
      "a cursor with an id in capitals",
      { after: Buffer.from("1:0000000A-0000-4000-8000-000000000000").toString("base64url") },
      "after",
      "INVALID_CURSOR",
    ],
  ])("refuses %s with BAD_USER_INPUT", async (_case, variables, field, code) => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(PAGE, variables);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field, code });
  });
});

describe("SESSIONS_MAX_PER_ACCOUNT", () => {
  let capped: TestApp;
  beforeAll(async () => {
    capped = await startTestApp({ SESSIONS_MAX_PER_ACCOUNT: "3" });
  });
  afterAll(() => capped?.stop());

  it("signs out the least recently used sessions of a sign-in past it, and logs it", async () => {
    const user = await registerUser(capped.client.with({ "user-agent": "A" }));
    const signInAs = async (agent: string) => {
      capped.clock.advanceSeconds(61);
      const data = await capped.client
        .with({ "user-agent": agent })
        .ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
      return capped.client.as(data.login.result.token);
    };
    const b = await signInAs("B");
    const c = await signInAs("C");
    capped.clock.advanceSeconds(61);
    await user.client.ok(ME); // A is used again: B is now the least recently used

    const d = await signInAs("D");
    const { sessions } = (await d.ok(PAGE, {})).me;
    expect(sessions.edges.map((edge: SessionPage["edges"][number]) => edge.node.userAgent)).toEqual(["D", "A", "C"]);
    expect(sessions.totalCount).toBe(3);
    expect((await b.ok(ME)).me).toBeNull();
    for (const kept of [user.client, c, d]) expect((await kept.ok(ME)).me.id).toBe(user.id);
    expect((await auditTypes(d)).filter((type) => type === "SESSION_REVOKED")).toHaveLength(1);

    // Another account's sign-ins leave this one's sessions alone.
    const other = await registerUser(capped.client);
    for (let i = 0; i < 3; i++) await capped.client.ok(LOGIN, { input: { identifier: other.username, password: DEFAULT_PASSWORD } });
    for (const kept of [user.client, c, d]) expect((await kept.ok(ME)).me.id).toBe(user.id);
  });
});

describe("revokeSession", () => {
  it("signs out another session of the account", async () => {
    const user = await registerUser(app.client);
    const phone = await signIn(user.username, "Phone/2.0");
    const { me } = await user.client.ok(SESSIONS);
    const phoneSession = me.sessions.nodes.find((s: { userAgent: string }) => s.userAgent === "Phone/2.0");
    const thisSession = me.sessions.nodes.find((s: { current: boolean }) => s.current);
    // The payload names the revoked session and lists what is left, so a cache drops it at once.
    const remaining = {
      revokedSessionId: phoneSession.id,
      account: { id: user.id, sessions: { nodes: [{ id: thisSession.id, current: true }] } },
    };
    expect((await user.client.ok(REVOKE, { id: phoneSession.id })).revokeSession).toEqual(remaining);
    expect((await phone.ok(ME)).me).toBeNull();
    expect((await user.client.ok(SESSIONS)).me.sessions.nodes).toHaveLength(1);
    expect(await auditTypes(user.client)).toContain("SESSION_REVOKED");
    // Again: nothing is signed in under that id any more; the answer is the same and nothing is logged twice.
    expect((await user.client.ok(REVOKE, { id: phoneSession.id })).revokeSession).toEqual(remaining);
    expect((await auditTypes(user.client)).filter((type) => type === "SESSION_REVOKED")).toHaveLength(1);
  });

  it("cannot touch another account's session", async () => {
    const victim = await registerUser(app.client);
    const attacker = await registerUser(app.client);
    const victimSession = (await victim.client.ok(SESSIONS)).me.sessions.nodes[0];
    const { revokeSession } = await attacker.client.ok(REVOKE, { id: victimSession.id });
    expect(revokeSession).toEqual({
      revokedSessionId: victimSession.id,
      account: { id: attacker.id, sessions: { nodes: [expect.objectContaining({ current: true })] } },
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
    expect((await user.client.ok(SESSIONS)).me.sessions.nodes).toHaveLength(1);
  });
});
