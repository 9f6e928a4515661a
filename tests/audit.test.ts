import { DEFAULT_PASSWORD, LOGIN, registerUser, type RegisteredUser } from "./helpers/accounts";
import { AuditEventEntity } from "../src/entities";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String, $types: [AuditEventType!], $since: DateTime, $until: DateTime) {
    me {
      auditEvents(first: $first, after: $after, last: $last, before: $before, types: $types, since: $since, until: $until) {
        edges {
          cursor
          node {
            id
            type
            createdAt
          }
        }
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        totalCount
      }
    }
  }
`;

interface Page {
  edges: { cursor: string; node: { id: string; type: string; createdAt: string } }[];
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

async function page(user: RegisteredUser, variables: Record<string, unknown>): Promise<Page> {
  return (await user.client.ok(PAGE, variables)).me.auditEvents as Page;
}

const types = (p: Page) => p.edges.map((edge) => edge.node.type);

/** A user with six events, newest first: SIGN_IN_FAILED, SIGN_IN ×4, ACCOUNT_CREATED. */
async function userWithSixEvents(): Promise<RegisteredUser> {
  const user = await registerUser(app.client); // ACCOUNT_CREATED, SIGN_IN
  for (let i = 0; i < 3; i++) await app.client.request(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
  await app.client.request(LOGIN, { input: { identifier: user.username, password: "wrong-password" } });
  // The failed try is logged after its answer.
  await eventually(async () =>
    (await app.dataSource.getRepository(AuditEventEntity).countBy({ accountId: user.id, type: "SIGN_IN_FAILED" })) === 1 ? true : undefined,
  );
  return user;
}

describe("Account.auditEvents, a Relay connection", () => {
  it("pages forward through the log newest first without gaps or repeats, as relayStylePagination() reads it", async () => {
    const user = await userWithSixEvents();
    const seen: string[] = [];
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const current: Page = await page(user, { first: 2, after });
      pages.push(current);
      seen.push(...types(current));
      after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(["SIGN_IN_FAILED", "SIGN_IN", "SIGN_IN", "SIGN_IN", "SIGN_IN", "ACCOUNT_CREATED"]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    for (const p of pages) {
      expect(p.totalCount).toBe(6);
      expect(p.nodes.map((n) => n.id)).toEqual(p.edges.map((e) => e.node.id));
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1].cursor);
    }
    // Cursors are opaque, and every event has its own.
    const cursors = pages.flatMap((p) => p.edges.map((e) => e.cursor));
    expect(new Set(cursors).size).toBe(6);
    for (const cursor of cursors) expect(cursor).not.toContain(":");
  });

  it("pages backward with last/before to the same events", async () => {
    const user = await userWithSixEvents();
    const all = await page(user, { first: 6 });
    const newest = await page(user, { last: 2, before: all.edges[2].cursor });
    expect(newest.edges.map((e) => e.node.id)).toEqual(all.edges.slice(0, 2).map((e) => e.node.id));
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const oldest = await page(user, { last: 2 });
    expect(oldest.edges.map((e) => e.node.id)).toEqual(all.edges.slice(4).map((e) => e.node.id));
    expect(oldest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const middle = await page(user, { last: 10, before: all.edges[4].cursor, after: all.edges[1].cursor });
    expect(middle.edges.map((e) => e.node.id)).toEqual(all.edges.slice(2, 4).map((e) => e.node.id));
  });

  it("defaults to 20, shows only the account's own events, and an empty log is an empty page", async () => {
    const user = await registerUser(app.client);
    const other = await registerUser(app.client);
    await app.client.request(LOGIN, { input: { identifier: other.username, password: "wrong-password" } });
    const mine = await page(user, {});
    expect(types(mine)).toEqual(["SIGN_IN", "ACCOUNT_CREATED"]);
    expect(mine.pageInfo.hasNextPage).toBe(false);
    const none = await page(user, { types: ["TOTP_ENABLED"] });
    expect(none).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });

  it("filters by types, and pages within the filter", async () => {
    const user = await userWithSixEvents();
    const signIns = await page(user, { types: ["SIGN_IN"], first: 3 });
    expect(types(signIns)).toEqual(["SIGN_IN", "SIGN_IN", "SIGN_IN"]);
    expect(signIns.totalCount).toBe(4);
    const rest = await page(user, { types: ["SIGN_IN"], first: 3, after: signIns.pageInfo.endCursor });
    expect(types(rest)).toEqual(["SIGN_IN"]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const two = await page(user, { types: ["ACCOUNT_CREATED", "SIGN_IN_FAILED"] });
    expect(types(two)).toEqual(["SIGN_IN_FAILED", "ACCOUNT_CREATED"]);
  });

  it("filters by a time range: since inclusive, until exclusive", async () => {
    const user = await registerUser(app.client); // ACCOUNT_CREATED, SIGN_IN at t0
    app.clock.advanceSeconds(3600);
    await app.client.request(LOGIN, { input: { identifier: user.username, password: "wrong-password" } }); // t0 + 1 h
    app.clock.advanceSeconds(3600);
    await app.client.request(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } }); // t0 + 2 h
    const all = await page(user, {});
    const failedAt = all.edges[1].node.createdAt;
    expect(all.edges[1].node.type).toBe("SIGN_IN_FAILED");
    expect(types(await page(user, { since: failedAt }))).toEqual(["SIGN_IN", "SIGN_IN_FAILED"]);
    expect(types(await page(user, { until: failedAt }))).toEqual(["SIGN_IN", "ACCOUNT_CREATED"]);
    const hour = await page(user, { since: failedAt, until: all.edges[0].node.createdAt });
    expect(types(hour)).toEqual(["SIGN_IN_FAILED"]);
    expect(hour.totalCount).toBe(1);
  });

  it.each([
    ["first 0", { first: 0 }, "first"],
    ["first 101", { first: 101 }, "first"],
    ["last 101", { last: 101 }, "last"],
    ["first negative", { first: -1 }, "first"],
    ["first with last", { first: 2, last: 2 }, "last"],
    ["a cursor that is not one", { after: "abc" }, "after"],
    ["a number, as the old cursors were", { after: "12" }, "after"],
    ["base64 of something else", { before: Buffer.from("12:x").toString("base64url") }, "before"],
    ["a cursor with a sign", { after: Buffer.from("-1:2").toString("base64url") }, "after"],
    ["a cursor spelled with padding", { after: `${Buffer.from("1:2").toString("base64url")}=` }, "after"],
    ["an unknown type", { types: ["SIGN_IN", "NOT_A_TYPE"] }, "types"],
    ["no types", { types: [] }, "types"],
    ["since not before until", { since: "2026-01-02T00:00:00.000Z", until: "2026-01-01T00:00:00.000Z" }, "until"],
  ])("refuses %s with BAD_USER_INPUT", async (_case, variables, field) => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(PAGE, variables);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
  });

  it("refuses a time that is not a DateTime", async () => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(PAGE, { since: "yesterday" });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
