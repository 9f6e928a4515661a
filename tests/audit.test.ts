import { DEFAULT_PASSWORD, LOGIN, registerUser } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String) {
    me {
      auditEvents(first: $first, after: $after) {
        nodes {
          id
          type
          createdAt
        }
        endCursor
        hasNextPage
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe("Account.auditEvents", () => {
  it("pages through the log newest first without gaps or repeats", async () => {
    const user = await registerUser(app.client); // ACCOUNT_CREATED, SIGN_IN
    for (let i = 0; i < 3; i++) await app.client.request(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    await app.client.request(LOGIN, { input: { identifier: user.username, password: "wrong-password" } });

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const data: any = await user.client.ok(PAGE, { first: 2, after });
      const page = data.me.auditEvents;
      seen.push(...page.nodes.map((n: { type: string }) => n.type));
      after = page.hasNextPage ? page.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(["SIGN_IN_FAILED", "SIGN_IN", "SIGN_IN", "SIGN_IN", "SIGN_IN", "ACCOUNT_CREATED"]);
  });

  it("defaults to 20 and shows only the account's own events", async () => {
    const user = await registerUser(app.client);
    const other = await registerUser(app.client);
    await app.client.request(LOGIN, { input: { identifier: other.username, password: "wrong-password" } });
    const data = await user.client.ok(`{ me { auditEvents { nodes { type } hasNextPage endCursor } } }`);
    expect(data.me.auditEvents.nodes.map((n: { type: string }) => n.type)).toEqual(["SIGN_IN", "ACCOUNT_CREATED"]);
    expect(data.me.auditEvents.hasNextPage).toBe(false);
  });

  it.each([
    ["first 0", { first: 0 }, "first"],
    ["first 101", { first: 101 }, "first"],
    ["first negative", { first: -1 }, "first"],
    ["a cursor that is not one", { after: "abc" }, "after"],
    ["a float", { first: 1.5 }, "first"],
  ])("refuses %s", async (_case, variables, field) => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(PAGE, variables);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
  });
});
