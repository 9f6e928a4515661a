import Redis from "ioredis";
import { createLogger } from "../src/core/logger";
import { createDataSource } from "../src/db/data-source";
import { LookupCache, shareInvalidationsThroughRedis, type Touched } from "../src/db/lookup-cache";
import { SUPPORT_ROLE } from "../src/modules/admin/admin.service";
import { grantRoleOnServers } from "../src/scripts/grant-role";
import { DEFAULT_PASSWORD, LOGIN, ME, uniqueUsername, registerSteppedUp, registerUser, stepUpWithPassword } from "./helpers/accounts";
import { REDIS_URL, uniqueRedisPrefix } from "./helpers/databases";
import type { GraphQLClient } from "./helpers/graphql-client";
import { enrolTotp, SECURITY, stepUpWith } from "./helpers/second-factors";
import { TestClock } from "./helpers/test-clock";
import { eventually, sameDatabaseAs, startTestApp, type TestApp } from "./helpers/test-server";

/**
 * Authentication rows are cached for AUTH_CACHE_SECONDS (default 30). Within one process every write
 * empties the cache (the rest of the suite checks that sign-outs, revocations and profile changes
 * act at once); these tests are about a deployment of several processes on one database.
 */
const LOGOUT = /* GraphQL */ `
  mutation {
    logout {
      signedOutSessionId
    }
  }
`;
const REPLACE_EMAIL = /* GraphQL */ `
  mutation Replace($accountId: ID!, $address: String!) {
    adminReplaceContact(input: { accountId: $accountId, kind: EMAIL, address: $address, reason: "ticket #1: checked by video call" }) {
      account {
        id
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
const RENAME = /* GraphQL */ `
  mutation Rename($username: String!) {
    updateProfile(input: { username: $username }) {
      account {
        username
      }
    }
  }
`;
const SESSIONS = /* GraphQL */ `
  query {
    me {
      sessions {
        id
        current
      }
    }
  }
`;
const REVOKE_SESSION = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeSession(input: { id: $id }) {
      revokedSessionId
    }
  }
`;
const CREATE_KEY = /* GraphQL */ `
  mutation Create($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
      }
    }
  }
`;
const REVOKE_KEY = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiKey(input: { id: $id }) {
      revokedApiKeyId
    }
  }
`;
const METRICS_TOKEN = "metrics-token-0123456789abcdef";

/** Authentication lookups a server's cache could not answer so far (its /metrics). */
async function cacheMisses(app: TestApp): Promise<number> {
  const response = await fetch(new URL("/metrics", app.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const line = (await response.text()).split("\n").find((each) => each.startsWith('auth_cache_lookups_total{result="miss"}'));
  return Number(line?.split(" ")[1] ?? 0);
}

/** Until `client`'s `me` is answered from `app`'s cache. */
async function cached(app: TestApp, client: GraphQLClient): Promise<void> {
  await eventually(async () => {
    const misses = await cacheMisses(app);
    await client.ok(ME);
    return (await cacheMisses(app)) === misses ? true : undefined;
  });
}

async function pair(env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const first = await startTestApp(env);
  return [first, await startTestApp({ ...env, ...sameDatabaseAs(first) })];
}

async function signedInOnBoth(first: TestApp, second: TestApp) {
  const user = await registerSteppedUp(first.client);
  const login = await first.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
  const onFirst = first.client.as(login.login.result.token);
  const onSecond = second.client.as(login.login.result.token);
  // The second process has read (and cached) the session.
  expect((await onSecond.ok(ME)).me.username).toBe(user.username);
  return { user, onFirst, onSecond };
}

describe("with Redis: a sign-out in one process reaches the others at once", () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // A prefix of its own: other test files' servers publish clears on the same Redis.
    [first, second] = await pair({ REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix(), METRICS_TOKEN });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("refuses a token signed out in another process without waiting for the cache", async () => {
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(LOGOUT);
    await eventually(async () => ((await onSecond.ok(ME)).me === null ? true : undefined));
  });

  it("refuses a session revoked from another device, and a revoked API key, at once in this process and the other", async () => {
    const { user, onFirst, onSecond } = await signedInOnBoth(first, second);
    const current = (await onFirst.ok(SESSIONS)).me.sessions.find((session: { current: boolean }) => session.current);
    // The sign-up's session (stepped up) signs the other device out.
    expect((await user.client.ok(REVOKE_SESSION, { id: current.id })).revokeSession.revokedSessionId).toBe(current.id);
    expect((await onFirst.ok(ME)).me).toBeNull();
    await eventually(async () => ((await onSecond.ok(ME)).me === null ? true : undefined));

    const { createApiKey } = await user.client.ok(CREATE_KEY, { input: { name: "ci" } });
    const keyOnFirst = first.client.as(createApiKey.secret);
    const keyOnSecond = second.client.as(createApiKey.secret);
    expect((await keyOnFirst.ok(ME)).me.username).toBe(user.username);
    expect((await keyOnSecond.ok(ME)).me.username).toBe(user.username);
    expect((await user.client.ok(REVOKE_KEY, { id: createApiKey.apiKey.id })).revokeApiKey.revokedApiKeyId).toBe(createApiKey.apiKey.id);
    expect((await keyOnFirst.ok(ME)).me).toBeNull();
    await eventually(async () => ((await keyOnSecond.ok(ME)).me === null ? true : undefined));
  });

  it("drops only the rows a sign-out, a step-up and a key revocation touch, in both processes", async () => {
    const bystander = await signedInOnBoth(first, second);
    const { user, onFirst, onSecond } = await signedInOnBoth(first, second);
    const { createApiKey } = await user.client.ok(CREATE_KEY, { input: { name: "ci" } });
    const keyOnSecond = second.client.as(createApiKey.secret);
    await keyOnSecond.ok(ME);
    // A lookup that races with news of a write to its account keeps nothing: wait until both hold the bystander's row.
    await cached(first, bystander.onFirst);
    await cached(second, bystander.onSecond);

    await stepUpWithPassword(onFirst);
    await user.client.ok(REVOKE_KEY, { id: createApiKey.apiKey.id });
    await onFirst.ok(LOGOUT);
    // The second process has been told of all three (they arrive in order).
    await eventually(async () => ((await onSecond.ok(ME)).me === null ? true : undefined));
    expect((await keyOnSecond.ok(ME)).me).toBeNull();

    // The bystander's rows, cached before, are still there in both processes.
    const misses = await Promise.all([cacheMisses(first), cacheMisses(second)]);
    expect((await bystander.onFirst.ok(ME)).me.username).toBe(bystander.user.username);
    expect((await bystander.onSecond.ok(ME)).me.username).toBe(bystander.user.username);
    expect(await Promise.all([cacheMisses(first), cacheMisses(second)])).toEqual(misses);
  });

  it("shows a username changed in another process", async () => {
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(`mutation { updateProfile(input: { username: "renamed_${Date.now()}" }) { account { username } } }`);
    const renamed = (await onFirst.ok(ME)).me.username;
    await eventually(async () => ((await onSecond.ok(ME)).me.username === renamed ? true : undefined));
  });

  it("keeps an account's rows through other accounts' sign-ins and writes, and drops them on its own", async () => {
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(ME);
    // Another account signs up, signs in and renames itself on the first process. Its new name on
    // the second process shows that the second has been told of everything before it.
    const other = await registerUser(first.client);
    const otherLogin = await first.client.ok(LOGIN, { input: { identifier: other.username, password: DEFAULT_PASSWORD } });
    const otherOnSecond = second.client.as(otherLogin.login.result.token);
    await otherOnSecond.ok(ME);
    const otherName = uniqueUsername("other");
    await first.client.as(otherLogin.login.result.token).ok(RENAME, { username: otherName });
    await eventually(async () => ((await otherOnSecond.ok(ME)).me.username === otherName ? true : undefined));

    const misses = await Promise.all([cacheMisses(first), cacheMisses(second)]);
    expect(Math.min(...misses)).toBeGreaterThan(0);
    await onFirst.ok(ME);
    await onSecond.ok(ME);
    expect(await Promise.all([cacheMisses(first), cacheMisses(second)])).toEqual(misses);

    // The account's own write reaches both processes' rows at once.
    const ownName = uniqueUsername("own");
    await onFirst.ok(RENAME, { username: ownName });
    expect((await onFirst.ok(ME)).me.username).toBe(ownName);
    await eventually(async () => ((await onSecond.ok(ME)).me.username === ownName ? true : undefined));
  });

  it("applies a role granted by account:grant-role, a process of its own, at once", async () => {
    const helper = await registerSteppedUp(second.client, uniqueUsername("helper"));
    const target = await registerSteppedUp(second.client);
    const variables = { accountId: target.id, address: `${uniqueUsername("new")}@example.com` };
    // The server has cached the helper's account, roles and all.
    expect((await helper.client.fails(REPLACE_EMAIL, variables)).extensions?.code).toBe("FORBIDDEN");
    const outside = createDataSource(second.config.database);
    await outside.initialize();
    try {
      expect(await grantRoleOnServers(outside, second.config, uniqueUsername("nobody"), SUPPORT_ROLE)).toBe("no such account");
      // A Redis that cannot be reached: the role is granted, but the server keeps its cached row.
      const unreachable = { ...second.config, redisUrl: "redis://127.0.0.1:1" };
      expect(await grantRoleOnServers(outside, unreachable, helper.username, SUPPORT_ROLE)).toBe("servers not told");
      expect((await helper.client.fails(REPLACE_EMAIL, variables)).extensions?.code).toBe("FORBIDDEN");
      // Another deployment on the same Redis (another REDIS_PREFIX) is not this one.
      const otherDeployment = { ...second.config, redisUrl: REDIS_URL, redisPrefix: uniqueRedisPrefix() };
      expect(await grantRoleOnServers(outside, otherDeployment, helper.username, SUPPORT_ROLE)).toBe("servers told");
      expect((await helper.client.fails(REPLACE_EMAIL, variables)).extensions?.code).toBe("FORBIDDEN");
      expect(await grantRoleOnServers(outside, second.config, helper.username, SUPPORT_ROLE)).toBe("servers told");
    } finally {
      await outside.destroy();
    }
    // Well within the cache's 30 s: the clear arrives over Redis.
    await eventually(async () => ((await helper.client.request(REPLACE_EMAIL, variables)).data?.adminReplaceContact ? true : undefined));
  });
});

describe("invalidations shared through Redis", () => {
  it("reach every other process once, and not the publisher a second time", async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = uniqueRedisPrefix();
    const processes = [0, 1].map(() => {
      const cache = new LookupCache(new TestClock(), 30);
      const received: Touched[] = [];
      cache.invalidate = (touched) => void received.push(touched);
      return { received, shared: shareInvalidationsThroughRedis(redis, prefix, cache, createLogger("silent")) };
    });
    try {
      const channel = `${prefix}:lookup-cache:clear`;
      await eventually(async () => ((await redis.pubsub("NUMSUB", channel))[1] === 2 ? true : undefined));
      processes[0].shared.publish({ table: "session", accountIds: ["a1"], ids: ["s1"] });
      processes[1].shared.publish({ table: "account", accountIds: null, ids: null });
      await eventually(() => (processes.every((each) => each.received.length > 0) ? true : undefined));
      // Each process's own message came back to it too, as quickly as the other's.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(processes.map((each) => each.received)).toEqual([
        [expect.objectContaining({ table: "account", accountIds: null, ids: null })],
        [expect.objectContaining({ table: "session", accountIds: ["a1"], ids: ["s1"] })],
      ]);
    } finally {
      processes.forEach((each) => each.shared.stop());
      redis.disconnect();
    }
  });
});

describe("without Redis", () => {
  let first: TestApp;
  let second: TestApp;
  afterEach(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("serves a token signed out in another process for at most AUTH_CACHE_SECONDS", async () => {
    [first, second] = await pair({ AUTH_CACHE_SECONDS: "30" });
    const { user, onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(LOGOUT);
    expect((await onFirst.ok(ME)).me).toBeNull();
    // The documented trade-off: the other process still has the session in memory ...
    expect((await onSecond.ok(ME)).me.username).toBe(user.username);
    second.clock.advanceSeconds(30);
    // ... until the cache entry is 30 s old.
    expect((await onSecond.ok(ME)).me).toBeNull();
  });

  it("judges changes to a way in by the database, not by a row cached before a change elsewhere", async () => {
    [first, second] = await pair({ AUTH_CACHE_SECONDS: "30" });
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    const changed = `${DEFAULT_PASSWORD}-changed`;
    await onFirst.ok(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: changed } });
    // The second process still has the old hash cached; the current password is the new one.
    const again = `${DEFAULT_PASSWORD}-again`;
    expect((await onSecond.ok(CHANGE_PASSWORD, { input: { oldPassword: changed, newPassword: again } })).changePassword).toEqual({
      revokedSessionCount: 0, // the first change signed out every other session already
      revokedApiKeyCount: 0,
    });

    // A session signed out elsewhere may still read (the documented trade-off) but changes nothing.
    await onFirst.ok(LOGOUT);
    expect((await onSecond.fails(CHANGE_PASSWORD, { input: { oldPassword: again, newPassword: changed } })).extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("turns two-step verification off when only another process saw it turned on", async () => {
    [first, second] = await pair({ AUTH_CACHE_SECONDS: "30" });
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await stepUpWithPassword(onFirst);
    const { recoveryCodes } = await enrolTotp(first, onFirst);
    await stepUpWith(onSecond, "RECOVERY_CODE", recoveryCodes[0]);
    await onSecond.ok(ME);
    await onFirst.ok(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`);
    // The second process's cached account still says off.
    await onSecond.ok(`mutation { setTwoStepVerification(input: { enabled: false }) { account { id } } }`);
    expect((await onFirst.ok(SECURITY)).me.security.twoStepEnabled).toBe(false);
  });

  it("AUTH_CACHE_SECONDS=0 reads every request from the database", async () => {
    [first, second] = await pair({ AUTH_CACHE_SECONDS: "0" });
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(LOGOUT);
    expect((await onSecond.ok(ME)).me).toBeNull();
  });
});
