import { createHash, randomBytes, randomUUID } from "node:crypto";
import { grantRole } from "../src/modules/admin/admin.service";
import { ApiKeyEntity } from "../src/entities";
import {
  auditTypes,
  DEFAULT_PASSWORD,
  LOGIN,
  ME,
  uniqueUsername,
  type RegisteredUser,
  registerSteppedUp,
  letStepUpLapse,
} from "./helpers/accounts";
import { bindContact, stepUp, uniqueEmail, uniquePhone } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { publishedSchema } from "./helpers/published-schema";
import { START_REAL_NAME } from "./helpers/real-name";
import {
  callbackUrl,
  COMPLETE_BINDING as COMPLETE_PROVIDER_BINDING,
  START_BINDING as START_PROVIDER_BINDING,
  UNBIND as UNBIND_PROVIDER,
} from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        id
        name
        prefix
        scopes
        createdAt
        lastUsedAt
        expiresAt
      }
      secret
      account {
        id
        apiKeys {
          nodes {
            id
          }
        }
      }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiKey(input: { id: $id }) {
      revokedApiKeyId
      account {
        id
        apiKeys {
          nodes {
            id
          }
        }
      }
    }
  }
`;
const KEYS = /* GraphQL */ `
  query {
    me {
      id
      apiKeys {
        nodes {
          id
          name
          prefix
          scopes
          createdAt
          lastUsedAt
          expiresAt
        }
      }
    }
  }
`;
const KEY_PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String) {
    me {
      apiKeys(first: $first, after: $after) {
        edges {
          cursor
          node {
            name
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
const UPDATE_PROFILE = /* GraphQL */ `
  mutation Update($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      account {
        id
        username
      }
    }
  }
`;
const CHANGE_PASSWORD = /* GraphQL */ `
  mutation Change($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedSessionCount
      revokedApiKeyCount
    }
  }
`;
const SESSIONS = /* GraphQL */ `
  query {
    me {
      sessions {
        nodes {
          id
          current
        }
      }
    }
  }
`;
const SECURITY = /* GraphQL */ `
  query {
    me {
      email {
        masked
      }
      security {
        twoStepEnabled
        totpEnabled
      }
    }
  }
`;

const SECRET_FORMAT = /^ak_[A-Za-z0-9_-]{43}$/;
const UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

interface CreatedKey {
  apiKey: {
    id: string;
    name: string;
    prefix: string;
    scopes: string[];
    createdAt: string;
    lastUsedAt: string | null;
    expiresAt: string | null;
  };
  secret: string;
  account: { id: string; apiKeys: { nodes: { id: string }[] } };
}

async function createKey(client: GraphQLClient, input: Record<string, unknown> = {}): Promise<CreatedKey> {
  return (await client.ok(CREATE, { input: { name: "ci", ...input } })).createApiKey;
}

async function listKeys(client: GraphQLClient): Promise<CreatedKey["apiKey"][]> {
  return (await client.ok(KEYS)).me.apiKeys.nodes;
}

async function login(identifier: string, password = DEFAULT_PASSWORD) {
  return app.client.request(LOGIN, { input: { identifier, password } });
}

function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

function isoIn(seconds: number): string {
  return new Date(app.clock.now().getTime() + seconds * 1000).toISOString();
}

describe("createApiKey", () => {
  it("returns the secret once, with its prefix, default scope and no use yet", async () => {
    const user = await registerSteppedUp(app.client);
    const before = app.clock.now().getTime();
    const { apiKey, secret } = await createKey(user.client, { name: "deploy bot" });
    const after = app.clock.now().getTime();

    expect(secret).toMatch(SECRET_FORMAT);
    expect(secret).toHaveLength(46);
    expect(apiKey.id).toMatch(UUID_FORMAT);
    expect(apiKey.name).toBe("deploy bot");
    expect(apiKey.prefix).toBe(secret.slice(0, 11));
    expect(apiKey.prefix).toMatch(/^ak_[A-Za-z0-9_-]{8}$/);
    expect(apiKey.scopes).toEqual(["ACCOUNT_READ"]);
    expect(apiKey.lastUsedAt).toBeNull();
    expect(apiKey.expiresAt).toBeNull();
    const createdAt = new Date(apiKey.createdAt).getTime();
    expect(createdAt).toBeGreaterThanOrEqual(before);
    expect(createdAt).toBeLessThanOrEqual(after);
  });

  it("returns the account, whose apiKeys list the new key first", async () => {
    const user = await registerSteppedUp(app.client);
    const first = await createKey(user.client, { name: "first" });
    expect(first.account).toEqual({ id: user.id, apiKeys: { nodes: [{ id: first.apiKey.id }] } });
    app.clock.advanceSeconds(1);
    const second = await createKey(user.client, { name: "second" });
    expect(second.account).toEqual({ id: user.id, apiKeys: { nodes: [{ id: second.apiKey.id }, { id: first.apiKey.id }] } });
  });

  it("gives every key a different secret", async () => {
    const user = await registerSteppedUp(app.client);
    const first = await createKey(user.client);
    const second = await createKey(user.client);
    expect(second.secret).not.toBe(first.secret);
    expect(second.apiKey.prefix).not.toBe(first.apiKey.prefix);
    expect(second.apiKey.id).not.toBe(first.apiKey.id);
  });

  it("keeps the scopes and expiry asked for", async () => {
    const user = await registerSteppedUp(app.client);
    const expiresAt = isoIn(3600);
    const { apiKey } = await createKey(user.client, { name: "rw", scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"], expiresAt });
    expect(apiKey.scopes).toEqual(["ACCOUNT_READ", "ACCOUNT_WRITE"]);
    expect(apiKey.expiresAt).toBe(expiresAt);
    const [listed] = await listKeys(user.client);
    expect(listed).toEqual(apiKey);
  });

  it("uses the default scope for an empty scope list", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await createKey(user.client, { scopes: [] })).apiKey.scopes).toEqual(["ACCOUNT_READ"]);
  });

  it("stores each scope once", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await createKey(user.client, { scopes: ["ACCOUNT_WRITE", "ACCOUNT_WRITE"] })).apiKey.scopes).toEqual(["ACCOUNT_WRITE"]);
  });

  it("accepts a name of 64 characters, including Chinese", async () => {
    const user = await registerSteppedUp(app.client);
    const name = "部署机器人-".repeat(10) + "abcd"; // 64 characters
    expect(name).toHaveLength(64);
    expect((await createKey(user.client, { name })).apiKey.name).toBe(name);
  });

  it.each([
    ["empty", ""],
    ["65 characters long", "k".repeat(65)],
    ["with a newline", "ci\nkey"],
    ["with a NUL", "ci\u0000key"],
    ["with a zero-width space", "ci\u200bkey"],
    ["with a right-to-left override", "ci\u202ekey"],
  ])("refuses a name that is %s and creates nothing", async (_case, name) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(CREATE, { input: { name } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((e) => e.field)).toContain("name");
    expect(error.extensions?.fieldErrors?.every((e) => e.field === "name")).toBe(true);
    expect(await listKeys(user.client)).toEqual([]);
    expect(await auditTypes(user.client)).not.toContain("API_KEY_CREATED");
  });

  it.each([
    ["an unknown scope", ["admin"]],
    ["an unknown scope next to a known one", ["ACCOUNT_READ", "ACCOUNT_DELETE"]],
    ["a scope in another letter case", ["account_read"]],
  ])("refuses %s and creates nothing", async (_case, scopes) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(CREATE, { input: { name: "ci", scopes } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field: expect.stringMatching(/^scopes/), code: "NOT_ONE_OF" });
    expect(await listKeys(user.client)).toEqual([]);
  });

  it.each([
    ["one second ago", -1],
    ["a day ago", -86400],
  ])("refuses an expiry %s and creates nothing", async (_case, seconds) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(CREATE, { input: { name: "ci", expiresAt: isoIn(seconds) } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors).toEqual([
      { field: "expiresAt", code: "NOT_IN_FUTURE", params: {}, messages: [expect.any(String)] },
    ]);
    expect(await listKeys(user.client)).toEqual([]);
    expect(await auditTypes(user.client)).not.toContain("API_KEY_CREATED");
  });

  it("allows 20 keys per account, and another once one is revoked", async () => {
    const user = await registerSteppedUp(app.client);
    const keys: CreatedKey[] = [];
    for (let i = 0; i < 20; i++) keys.push(await createKey(user.client, { name: `key ${i}` }));
    const error = await user.client.fails(CREATE, { input: { name: "one too many" } });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field: "name", code: "LIMIT_REACHED", params: { max: 20 } });
    expect(await listKeys(user.client)).toHaveLength(20);

    expect((await user.client.ok(REVOKE, { id: keys[7].apiKey.id })).revokeApiKey.account.apiKeys.nodes).toHaveLength(19);
    expect((await createKey(user.client, { name: "replacement" })).apiKey.name).toBe("replacement");
    expect(await listKeys(user.client)).toHaveLength(20);
  });

  it("takes its limit from API_KEYS_MAX_PER_ACCOUNT, expired keys included until revoked", async () => {
    const capped = await startTestApp({ API_KEYS_MAX_PER_ACCOUNT: "2" });
    try {
      const user = await registerSteppedUp(capped.client);
      await createKey(user.client, { expiresAt: new Date(capped.clock.now().getTime() + 1000).toISOString() });
      await createKey(user.client);
      capped.clock.advanceSeconds(2); // the first key has expired, and still counts
      const error = await user.client.fails(CREATE, { input: { name: "one too many" } });
      expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field: "name", code: "LIMIT_REACHED", params: { max: 2 } });
      // The limit is in the schema, for the account center to show.
      expect((await user.client.ok(`{ me { apiKeys { max totalCount } } }`)).me.apiKeys).toEqual({ max: 2, totalCount: 2 });
      expect((await app.client.as((await registerSteppedUp(app.client)).token).ok(`{ me { apiKeys { max } } }`)).me.apiKeys.max).toBe(20);
    } finally {
      await capped.stop();
    }
  });

  it("counts keys per account: another account's 20 keys do not stop this one", async () => {
    const busy = await registerSteppedUp(app.client);
    for (let i = 0; i < 20; i++) await createKey(busy.client, { name: `key ${i}` });
    const other = await registerSteppedUp(app.client);
    expect((await createKey(other.client, { name: "mine" })).apiKey.name).toBe("mine");
  });

  it("needs a signed-in session", async () => {
    const error = await app.client.fails(CREATE, { input: { name: "ci" } });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
    const bogus = await app.client.as("ses_not-a-real-token").fails(CREATE, { input: { name: "ci" } });
    expect(bogus.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("is FORBIDDEN to an API key, whatever its scopes, and creates nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });
    const error = await app.client.as(secret).fails(CREATE, { input: { name: "child" } });
    expect(error.extensions?.code).toBe("FORBIDDEN");
    expect((await listKeys(user.client)).map((k) => k.name)).toEqual(["ci"]);
  });

  it("asks for no step-up from an account with no second factor", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await createKey(user.client)).secret).toMatch(SECRET_FORMAT);
  });

  it.each([
    ["email", "EMAIL", "EMAIL"],
    ["phone", "PHONE", "SMS"],
  ] as const)("needs a recent step-up once a %s is bound", async (_case, kind, method) => {
    const user = await registerSteppedUp(app.client);
    const address = kind === "EMAIL" ? uniqueEmail("ak") : uniquePhone();
    await bindContact(app, user.client, kind, address);
    await letStepUpLapse(app, user);

    const error = await user.client.fails(CREATE, { input: { name: "ci" } });
    expect(error.extensions?.code).toBe("STEP_UP_REQUIRED");
    expect(await listKeys(user.client)).toEqual([]);

    await stepUp(app, user.client, method, address);
    const { apiKey } = await createKey(user.client, { name: "after step-up" });
    expect((await listKeys(user.client)).map((k) => k.id)).toEqual([apiKey.id]);
  });

  it("does not take a step-up from another session, nor one that has expired", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("ak");
    await bindContact(app, user.client, "EMAIL", email);
    await stepUp(app, user.client, "EMAIL", email);

    const other = app.client.as((await login(user.username)).data!.login.result.token);
    expect((await other.fails(CREATE, { input: { name: "other session" } })).extensions?.code).toBe("STEP_UP_REQUIRED");

    app.clock.advanceSeconds(app.config.stepUpTtlSeconds + 1);
    expect((await user.client.fails(CREATE, { input: { name: "too late" } })).extensions?.code).toBe("STEP_UP_REQUIRED");
    expect(await listKeys(user.client)).toEqual([]);
  });

  it("records API_KEY_CREATED in the security log", async () => {
    const user = await registerSteppedUp(app.client);
    await createKey(user.client);
    const types = await auditTypes(user.client);
    expect(types[0]).toBe("API_KEY_CREATED");
    expect(types.filter((t) => t === "API_KEY_CREATED")).toHaveLength(1);
  });
});

describe("storing keys", () => {
  it("keeps only the SHA-256 of the secret", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });

    const row = await app.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey.id });
    expect(row.keyHash).toBe(sha256Hex(secret));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.accountId).toBe(user.id);
    expect(row.prefix).toBe(secret.slice(0, 11));
    expect(row.scopes).toBe("account:read account:write");

    const raw = (await app.dataSource
      .createQueryBuilder()
      .select("*")
      .from("api_keys", "k")
      .where("k.id = :id", { id: apiKey.id })
      .getRawOne()) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual([
      "account_id",
      "created_at",
      "expires_at",
      "id",
      "key_hash",
      "last_used_at",
      "name",
      "prefix",
      "scopes",
      "usable_from",
    ]);
    const hidden = secret.slice(11); // what the prefix does not show
    for (const [column, value] of Object.entries(raw)) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      expect({ column, containsSecret: text.includes(secret) || text.includes(hidden) }).toEqual({ column, containsSecret: false });
    }

    const audit = await app.dataSource
      .createQueryBuilder()
      .select("*")
      .from("audit_events", "e")
      .where("e.account_id = :id", { id: user.id })
      .getRawMany();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(hidden);
  });
});

describe("Account.apiKeys", () => {
  it("lists the account's keys newest first, without secrets", async () => {
    const user = await registerSteppedUp(app.client);
    const a = await createKey(user.client, { name: "first" });
    app.clock.advanceSeconds(1);
    const b = await createKey(user.client, { name: "second", scopes: ["ACCOUNT_WRITE"] });
    app.clock.advanceSeconds(1);
    const c = await createKey(user.client, { name: "third", expiresAt: isoIn(86400) });

    const keys = await listKeys(user.client);
    expect(keys).toEqual([c.apiKey, b.apiKey, a.apiKey]);
    const json = JSON.stringify(keys);
    for (const { secret } of [a, b, c]) expect(json).not.toContain(secret.slice(11));
  });

  it("pages newest first with cursors that stay valid after their key is revoked, and counts every key", async () => {
    const user = await registerSteppedUp(app.client);
    const created: CreatedKey[] = [];
    for (const name of ["a", "b", "c"]) {
      created.push(await createKey(user.client, { name }));
      app.clock.advanceSeconds(1);
    }
    const page = async (variables: { first?: number; after?: string | null }) => (await user.client.ok(KEY_PAGE, variables)).me.apiKeys;
    const first = await page({ first: 2 });
    expect(first.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["c", "b"]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, endCursor: first.edges[1].cursor });
    expect(first.totalCount).toBe(3);
    await user.client.ok(REVOKE, { id: created[1].apiKey.id });
    const rest = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(rest.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["a"]);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(rest.totalCount).toBe(2);
  });

  it.each([
    ["first 0", { first: 0 }, "first", "TOO_SMALL"],
    ["first 101", { first: 101 }, "first", "TOO_LARGE"],
    ["a cursor that is not one", { after: "abc" }, "after", "INVALID_CURSOR"],
    ["a security-log cursor", { after: Buffer.from("1:2").toString("base64url") }, "after", "INVALID_CURSOR"],
  ])("refuses %s with BAD_USER_INPUT", async (_case, variables, field, code) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(KEY_PAGE, variables);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0]).toMatchObject({ field, code });
  });

  it("has no field that could return a secret", async () => {
    const user = await registerSteppedUp(app.client);
    await createKey(user.client);
    const error = await user.client.fails(`query { me { apiKeys { nodes { id secret } } } }`);
    expect(error.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("shows only the account's own keys", async () => {
    const alice = await registerSteppedUp(app.client);
    const bob = await registerSteppedUp(app.client);
    const aliceKey = await createKey(alice.client, { name: "alice's" });
    const bobKey = await createKey(bob.client, { name: "bob's" });
    expect((await listKeys(alice.client)).map((k) => k.id)).toEqual([aliceKey.apiKey.id]);
    expect((await listKeys(bob.client)).map((k) => k.id)).toEqual([bobKey.apiKey.id]);
  });

  it("is empty for a new account", async () => {
    const user = await registerSteppedUp(app.client);
    expect(await listKeys(user.client)).toEqual([]);
  });
});

describe("authenticating with a key", () => {
  it("lets an ACCOUNT_READ key run queries as its account", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client);
    const data = await app.client.as(secret).ok(ME);
    expect(data.me).toMatchObject({ id: user.id, username: user.username });
  });

  // A key handed to a program (often kept in its configuration) must not tell whoever reads it where
  // the owner signs in from, which keys exist, or the security log.
  it.each([
    ["sessions", "sessions { totalCount nodes { ip userAgent } }"],
    ["apiKeys", "apiKeys { totalCount nodes { id prefix } }"],
    ["auditEvents", "auditEvents { totalCount nodes { type ip } }"],
  ])("refuses the account's %s to a key with every scope, and answers no part of them", async (field, selection) => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });
    const response = await app.client.as(secret).request(`query { me { id ${selection} } }`);
    expect(response.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[["me", field], "FORBIDDEN"]]);
    expect(response.data?.me ?? null).toBeNull();
    expect((await user.client.ok(`query { me { ${selection} } }`)).me[field].totalCount).toBeGreaterThan(0);
  });

  it("refuses every mutation to an ACCOUNT_READ key, updateProfile included", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ"] });
    const error = await app.client.as(secret).fails(UPDATE_PROFILE, { input: { username: uniqueUsername("ro") } });
    expect(error.extensions?.code).toBe("FORBIDDEN");
    expect((await user.client.ok(ME)).me.username).toBe(user.username);
    expect(await auditTypes(user.client)).not.toContain("PROFILE_UPDATED");
  });

  it("lets an ACCOUNT_WRITE key update the profile", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_WRITE"] });
    const username = uniqueUsername("rw");
    const data = await app.client.as(secret).ok(UPDATE_PROFILE, { input: { username } });
    expect(data.updateProfile.account).toEqual({ id: user.id, username });
    expect((await user.client.ok(ME)).me.username).toBe(username);
    expect(await auditTypes(user.client)).toContain("PROFILE_UPDATED");
  });

  it("lets an ACCOUNT_WRITE key run queries too", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_WRITE"] });
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(user.id);
  });

  it.each([
    ["unknown", () => `ak_${randomBytes(32).toString("base64url")}`],
    ["malformed", () => "ak_x"],
    ["a key's prefix only", () => "PREFIX"],
    ["a key with a changed last character", () => "CHANGED"],
  ])("answers me: null for a %s key", async (_case, make) => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });
    let token = make();
    if (token === "PREFIX") token = apiKey.prefix;
    if (token === "CHANGED") token = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    const client = app.client.as(token);
    expect((await client.ok(ME)).me).toBeNull();
    expect((await client.fails(UPDATE_PROFILE, { input: { username: uniqueUsername("x") } })).extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("sets lastUsedAt at the first use, then at most once a minute", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client);
    const keyClient = app.client.as(secret);
    const lastUsed = async () => (await listKeys(user.client)).find((k) => k.id === apiKey.id)!.lastUsedAt;

    expect(await lastUsed()).toBeNull();

    const before = app.clock.now().getTime();
    await keyClient.ok(ME);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect(new Date(first!).getTime()).toBeGreaterThanOrEqual(before);
    expect(new Date(first!).getTime()).toBeLessThanOrEqual(app.clock.now().getTime());

    app.clock.advanceSeconds(30);
    await keyClient.ok(ME);
    expect(await lastUsed()).toBe(first);

    app.clock.advanceSeconds(31);
    const beforeThird = app.clock.now().getTime();
    await keyClient.ok(ME);
    const third = await lastUsed();
    expect(new Date(third!).getTime()).toBeGreaterThanOrEqual(beforeThird);
    expect(new Date(third!).getTime() - new Date(first!).getTime()).toBeGreaterThanOrEqual(61_000);
  });

  it("leaves lastUsedAt alone when the session, not the key, is used", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey } = await createKey(user.client);
    await user.client.ok(ME);
    app.clock.advanceSeconds(120);
    await user.client.ok(ME);
    expect((await listKeys(user.client)).find((k) => k.id === apiKey.id)!.lastUsedAt).toBeNull();
  });
});

describe("an expired key", () => {
  it("works until expiresAt and authenticates nobody after it", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"], expiresAt: isoIn(60) });
    const keyClient = app.client.as(secret);
    expect((await keyClient.ok(ME)).me.id).toBe(user.id);

    app.clock.advanceSeconds(61);
    expect((await keyClient.ok(ME)).me).toBeNull();
    const error = await keyClient.fails(UPDATE_PROFILE, { input: { username: uniqueUsername("late") } });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await user.client.ok(ME)).me.username).toBe(user.username);
  });

  it("does not stop a key without expiry, however long it waits", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client);
    app.clock.advanceSeconds(400 * 86400);
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(user.id);
  });
});

describe("an API key calling a step-up mutation", () => {
  it("gets FORBIDDEN for changePassword, even when its session stepped up, and the password stays", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("ak");
    await bindContact(app, user.client, "EMAIL", email);
    await stepUp(app, user.client, "EMAIL", email);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });

    const error = await app.client
      .as(secret)
      .fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: "a-much-Better-passphrase-42" } });
    expect(error.extensions?.code).toBe("FORBIDDEN");
    expect((await login(user.username)).data?.login.result.account.id).toBe(user.id);
    expect((await login(user.username, "a-much-Better-passphrase-42")).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    const types = await auditTypes(user.client);
    expect(types).not.toContain("PASSWORD_CHANGED");
    expect(types).not.toContain("PASSWORD_CHANGE_FAILED");
  });

  it("gets FORBIDDEN for changePassword on an account without a second factor", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client, { scopes: ["ACCOUNT_WRITE"] });
    const error = await app.client
      .as(secret)
      .fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: "a-much-Better-passphrase-42" } });
    expect(error.extensions?.code).toBe("FORBIDDEN");
    expect((await login(user.username)).data?.login.result.account.id).toBe(user.id);
  });
});

describe("security mutations with an API key", () => {
  let owner: RegisteredUser;
  let target: RegisteredUser;
  let ownerEmail: string;
  let targetEmail: string;
  let ownKey: CreatedKey;
  let sessionId: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    owner = await registerSteppedUp(app.client);
    target = await registerSteppedUp(app.client);
    ownerEmail = uniqueEmail("owner");
    targetEmail = uniqueEmail("target");
    await bindContact(app, owner.client, "EMAIL", ownerEmail);
    await bindContact(app, target.client, "EMAIL", targetEmail);
    expect(await grantRole(app.dataSource, owner.username, "SUPPORT")).toBe(true);
    await stepUp(app, owner.client, "EMAIL", ownerEmail);
    keys["ACCOUNT_READ"] = (await createKey(owner.client, { name: "read", scopes: ["ACCOUNT_READ"] })).secret;
    keys["ACCOUNT_WRITE"] = (await createKey(owner.client, { name: "write", scopes: ["ACCOUNT_WRITE"] })).secret;
    keys["ACCOUNT_READ ACCOUNT_WRITE"] = (
      await createKey(owner.client, { name: "both", scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] })
    ).secret;
    ownKey = await createKey(owner.client, { name: "to revoke" });
    sessionId = (await owner.client.ok(SESSIONS)).me.sessions.nodes[0].id;
  });

  const newAddress = uniqueEmail("never");
  const mutations: [string, string, () => Record<string, unknown>][] = [
    ["changePassword", CHANGE_PASSWORD, () => ({ input: { oldPassword: DEFAULT_PASSWORD, newPassword: "a-much-Better-passphrase-42" } })],
    [
      "startContactBinding",
      `mutation($a: String!) { startContactBinding(input: { kind: EMAIL, address: $a }) { challenge { id } } }`,
      () => ({ a: newAddress }),
    ],
    [
      "confirmContactBinding",
      `mutation($id: ID!) { confirmContactBinding(input: { challengeId: $id, code: "123456" }) { account { id } } }`,
      () => ({ id: randomUUID() }),
    ],
    ["startContactUnbinding", `mutation { startContactUnbinding(input: { kind: EMAIL }) { challenge { id } } }`, () => ({})],
    [
      "confirmContactUnbinding",
      `mutation($id: ID!) { confirmContactUnbinding(input: { challengeId: $id, code: "123456" }) { account { id } } }`,
      () => ({ id: randomUUID() }),
    ],
    ["requestStepUp", `mutation { requestStepUp(input: { method: EMAIL }) { challenge { id } } }`, () => ({})],
    [
      "completeStepUp",
      `mutation($id: ID!) { completeStepUp(input: { challengeId: $id, code: "123456" }) { account { id } } }`,
      () => ({ id: randomUUID() }),
    ],
    ["startTotpEnrollment", `mutation { startTotpEnrollment { enrollment { secret } } }`, () => ({})],
    ["confirmTotpEnrollment", `mutation { confirmTotpEnrollment(input: { code: "123456" }) { recoveryCodes } }`, () => ({})],
    ["disableTotp", `mutation { disableTotp(input: { code: "123456" }) { account { id } } }`, () => ({})],
    ["regenerateRecoveryCodes", `mutation { regenerateRecoveryCodes { recoveryCodes } }`, () => ({})],
    ["setTwoStepVerification", `mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`, () => ({})],
    ["createApiKey", CREATE, () => ({ input: { name: "child" } })],
    ["revokeApiKey", REVOKE, () => ({ id: ownKey.apiKey.id })],
    ["revokeSession", `mutation($id: ID!) { revokeSession(input: { id: $id }) { revokedSessionId } }`, () => ({ id: sessionId })],
    ["logout", `mutation { logout { signedOutSessionId } }`, () => ({})],
    ["signOutOtherSessions", `mutation { signOutOtherSessions { revokedSessionIds } }`, () => ({})],
    ["startProviderBinding", START_PROVIDER_BINDING, () => ({ p: "WECHAT", r: callbackUrl(app) })],
    ["completeProviderBinding", COMPLETE_PROVIDER_BINDING, () => ({ p: "WECHAT", c: "code", s: "state" })],
    ["unbindProvider", UNBIND_PROVIDER, () => ({ p: "WECHAT" })],
    ["startRealNameVerification", START_REAL_NAME, () => ({ input: { legalName: "张三", idNumber: "11010519491231002X" } })],
    ["refreshRealNameVerification", `mutation { refreshRealNameVerification { realName { status } } }`, () => ({})],
    [
      "adminReplaceContact",
      `mutation($id: ID!, $a: String!) { adminReplaceContact(input: { accountId: $id, kind: EMAIL, address: $a, reason: "ticket #1: checked" }) { account { id } } }`,
      () => ({ id: target.id, a: newAddress }),
    ],
  ];
  const cases = ["ACCOUNT_READ", "ACCOUNT_WRITE", "ACCOUNT_READ ACCOUNT_WRITE"].flatMap((scopes) =>
    mutations.map(([name, query, variables]) => [name, scopes, query, variables] as const),
  );

  /** Mutations a key may call: they act for no signed-in account (sign-in, recovery), or change the profile (account:write). */
  const OPEN_TO_KEYS: Record<string, string> = {
    register: "acts for no signed-in account",
    login: "acts for no signed-in account",
    sendTwoStepCode: "acts for no signed-in account",
    completeTwoStep: "acts for no signed-in account",
    startProviderLogin: "acts for no signed-in account",
    loginWithProvider: "acts for no signed-in account",
    requestPasswordReset: "acts for no signed-in account",
    resetPassword: "acts for no signed-in account",
    updateProfile: "the profile, with account:write",
  };

  it("lists every mutation of the schema, so a new one is refused to keys here or said to be open to them", () => {
    const all = Object.keys(publishedSchema().getMutationType()!.getFields()).sort();
    expect([...mutations.map(([name]) => name), ...Object.keys(OPEN_TO_KEYS)].sort()).toEqual(all);
  });

  it.each(cases)("%s is FORBIDDEN to a key with scopes %s", async (_name, scopes, query, variables) => {
    const error = await app.client.as(keys[scopes]).fails(query, variables());
    expect(error.extensions?.code).toBe("FORBIDDEN");
  });

  it("and none of those calls changed anything", async () => {
    // The session and the key it was to revoke still work.
    expect((await owner.client.ok(ME)).me.id).toBe(owner.id);
    expect((await owner.client.ok(SESSIONS)).me.sessions.nodes.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    expect((await app.client.as(ownKey.secret).ok(ME)).me.id).toBe(owner.id);
    // Still the four keys created in beforeAll.
    expect((await listKeys(owner.client)).map((k) => k.name)).toEqual(["to revoke", "both", "write", "read"]);
    // Same password, contacts and settings.
    expect((await login(owner.username)).data?.login.result.account.id).toBe(owner.id);
    expect((await owner.client.ok(SECURITY)).me).toEqual({
      email: { masked: `${ownerEmail[0]}***@example.com` },
      security: { twoStepEnabled: false, totpEnabled: false },
    });
    expect(app.smtp.mailsTo(newAddress)).toHaveLength(0);
    const targetData = await target.client.ok(`query { me { email { masked } } }`);
    expect(targetData.me.email.masked).toBe(`${targetEmail[0]}***@example.com`);
    // Nothing but the set-up in the log.
    const types = await auditTypes(owner.client);
    expect(types.filter((t) => t === "API_KEY_CREATED")).toHaveLength(4);
    for (const type of ["PASSWORD_CHANGED", "API_KEY_REVOKED", "SESSION_REVOKED", "SIGN_OUT", "TWO_STEP_ENABLED", "CONTACT_UNBOUND"]) {
      expect(types).not.toContain(type);
    }
    expect(await auditTypes(target.client)).not.toContain("CONTACT_REPLACED_BY_SUPPORT");
  });
});

describe("revokeApiKey", () => {
  it("deletes the key: it authenticates nobody from the next request on", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });
    const keyClient = app.client.as(secret);
    expect((await keyClient.ok(ME)).me.id).toBe(user.id);

    expect((await user.client.ok(REVOKE, { id: apiKey.id })).revokeApiKey).toEqual({
      revokedApiKeyId: apiKey.id,
      account: { id: user.id, apiKeys: { nodes: [] } },
    });

    expect((await keyClient.ok(ME)).me).toBeNull();
    const error = await keyClient.fails(UPDATE_PROFILE, { input: { username: uniqueUsername("gone") } });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await listKeys(user.client)).toEqual([]);
    expect(await app.dataSource.getRepository(ApiKeyEntity).findOneBy({ id: apiKey.id })).toBeNull();
    // Again: nothing to revoke, no error, and the same id for a cache to drop.
    expect((await user.client.ok(REVOKE, { id: apiKey.id })).revokeApiKey.revokedApiKeyId).toBe(apiKey.id);
    expect((await auditTypes(user.client)).filter((type) => type === "API_KEY_REVOKED")).toHaveLength(1);
  });

  it("revokes only the key named", async () => {
    const user = await registerSteppedUp(app.client);
    const keep = await createKey(user.client, { name: "keep" });
    const drop = await createKey(user.client, { name: "drop" });
    const { revokeApiKey } = await user.client.ok(REVOKE, { id: drop.apiKey.id });
    expect(revokeApiKey).toEqual({
      revokedApiKeyId: drop.apiKey.id,
      account: { id: user.id, apiKeys: { nodes: [{ id: keep.apiKey.id }] } },
    });
    expect((await listKeys(user.client)).map((k) => k.id)).toEqual([keep.apiKey.id]);
    expect((await app.client.as(keep.secret).ok(ME)).me.id).toBe(user.id);
  });

  it("records API_KEY_REVOKED in the security log", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey } = await createKey(user.client);
    await user.client.ok(REVOKE, { id: apiKey.id });
    const types = await auditTypes(user.client);
    expect(types.slice(0, 2)).toEqual(["API_KEY_REVOKED", "API_KEY_CREATED"]);
  });

  it("does nothing for an unknown id and logs nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey } = await createKey(user.client);
    const unknown = randomUUID();
    expect((await user.client.ok(REVOKE, { id: unknown })).revokeApiKey).toEqual({
      revokedApiKeyId: unknown,
      account: { id: user.id, apiKeys: { nodes: [{ id: apiKey.id }] } },
    });
    expect(await listKeys(user.client)).toHaveLength(1);
    expect(await auditTypes(user.client)).not.toContain("API_KEY_REVOKED");
  });

  it("cannot touch another account's key", async () => {
    const victim = await registerSteppedUp(app.client);
    const attacker = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(victim.client);
    expect((await attacker.client.ok(REVOKE, { id: apiKey.id })).revokeApiKey.account).toEqual({ id: attacker.id, apiKeys: { nodes: [] } });
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(victim.id);
    expect((await listKeys(victim.client)).map((k) => k.id)).toEqual([apiKey.id]);
    expect(await auditTypes(attacker.client)).not.toContain("API_KEY_REVOKED");
    expect(await auditTypes(victim.client)).not.toContain("API_KEY_REVOKED");
  });

  it.each([
    ["empty", ""],
    ["not an id", "abc"],
    ["a number", 42],
    ["SQL", "1' OR '1'='1"],
  ])("refuses an id that is %s", async (_case, id) => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await createKey(user.client);
    const error = await user.client.fails(REVOKE, { id });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe("id");
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(user.id);
  });

  it("needs a signed-in session", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client);
    expect((await app.client.fails(REVOKE, { id: apiKey.id })).extensions?.code).toBe("UNAUTHENTICATED");
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(user.id);
  });

  it("is FORBIDDEN to a key revoking itself", async () => {
    const user = await registerSteppedUp(app.client);
    const { apiKey, secret } = await createKey(user.client, { scopes: ["ACCOUNT_READ", "ACCOUNT_WRITE"] });
    expect((await app.client.as(secret).fails(REVOKE, { id: apiKey.id })).extensions?.code).toBe("FORBIDDEN");
    expect((await app.client.as(secret).ok(ME)).me.id).toBe(user.id);
  });
});
