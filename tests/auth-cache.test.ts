import Redis from "ioredis";
import { createLogger } from "../src/core/logger";
import { createDataSource } from "../src/db/data-source";
import { LookupCache, shareInvalidationsThroughRedis, type Touched } from "../src/db/lookup-cache";
import { SUPPORT_ROLE } from "../src/modules/admin/admin.service";
import { grantRoleOnServers } from "../src/scripts/grant-role";
import {
  DEFAULT_PASSWORD,
  LOGIN,
  ME,
  uniqueUsername,
  registerSteppedUp,
  registerUser,
  renewing,
  stepUpWithPassword,
} from "./helpers/accounts";
import { REDIS_URL, uniqueRedisPrefix } from "./helpers/databases";
import type { GraphQLClient } from "./helpers/graphql-client";
import { bindContact, codeSentTo, sentCount, uniqueEmail } from "./helpers/contacts";
import { startRealName } from "./helpers/real-name";
import { codeNow, enrolTotp, SECURITY, stepUpWith } from "./helpers/second-factors";
import { ChallengeEntity } from "../src/entities";
import { checkCharacter } from "../src/modules/real-name/id-number";
import { TestClock } from "./helpers/test-clock";
import { eventually, sameDatabaseAs, startTestApp, type TestApp } from "./helpers/test-server";

/**
 * Authentication rows, and the rows the account center's page shows, are cached for
 * AUTH_CACHE_SECONDS (default 30). A write drops its own account's rows (the rest of the suite checks
 * that sign-outs, revocations and profile changes act at once); these tests are about a deployment of
 * several processes on one database, and about the other accounts' rows a write leaves.
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
      token
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
        nodes {
          id
          current
        }
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

/** Lookups a server's cache could not answer so far (its /metrics): the authentication cache's, or the page rows'. */
async function cacheMisses(app: TestApp, cache: "auth" | "account_rows" = "auth"): Promise<number> {
  const response = await fetch(new URL("/metrics", app.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const line = (await response.text()).split("\n").find((each) => each.startsWith(`${cache}_cache_lookups_total{result="miss"}`));
  return Number(line?.split(" ")[1] ?? 0);
}

/** Both caches' misses in each server. */
function allMisses(apps: TestApp[]): Promise<number[][]> {
  return Promise.all(apps.map(async (app) => [await cacheMisses(app), await cacheMisses(app, "account_rows")]));
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
  // A prefix of its own: other test files' servers publish clears on the same Redis.
  const prefix = uniqueRedisPrefix();
  beforeAll(async () => {
    [first, second] = await pair({ REDIS_URL, REDIS_PREFIX: prefix, METRICS_TOKEN });
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
    const current = (await onFirst.ok(SESSIONS)).me.sessions.nodes.find((session: { current: boolean }) => session.current);
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

  it("refuses in the other process, at once, the token a step-up renewed", async () => {
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    const before = onSecond.token!;
    await stepUpWithPassword(onFirst);
    await eventually(async () => ((await onSecond.ok(ME)).me === null ? true : undefined));
    expect(
      (
        await second.client
          .as(before)
          .fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: `${DEFAULT_PASSWORD}-x` } })
      ).extensions?.code,
    ).toBe("UNAUTHENTICATED");
    onSecond.adopt(onFirst.token!);
    expect((await onSecond.ok(ME)).me).not.toBeNull();
  });

  it("shows a username changed in another process", async () => {
    const { onFirst, onSecond } = await signedInOnBoth(first, second);
    await onFirst.ok(`mutation { updateProfile(input: { username: "renamed_${Date.now()}" }) { account { username } } }`);
    const renamed = (await onFirst.ok(ME)).me.username;
    await eventually(async () => ((await onSecond.ok(ME)).me.username === renamed ? true : undefined));
  });

  it("publishes nothing for a sign-in: a new session is no row any process has cached", async () => {
    const user = await registerUser(first.client);
    const listener = new Redis(REDIS_URL);
    const received: Touched[] = [];
    listener.on("message", (_channel: string, message: string) => void received.push(JSON.parse(message) as Touched));
    try {
      await listener.subscribe(`${prefix}:lookup-cache:clear`);
      const login = await first.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
      // A write that is published, after the sign-in: messages from one process arrive in order.
      await first.client.as(login.login.result.token).ok(RENAME, { username: uniqueUsername("renamed") });
      await eventually(() => (received.length > 0 ? true : undefined));
      expect(received[0]).toMatchObject({ table: "accounts", accountIds: [user.id] });
    } finally {
      listener.disconnect();
    }
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

/** What the account center's page shows of the ways in: one authentication lookup and one read of the page rows. */
const PAGE = `{ me { username email { masked } security { totpEnabled twoStepEnabled recoveryCodesRemaining } realName { status } } }`;

describe("with Redis: a write to one account's ways in", () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // Long enough that the authenticator's steps (the first process's clock moves) expire nothing.
    [first, second] = await pair({ REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix(), METRICS_TOKEN, AUTH_CACHE_SECONDS: "300" });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("drops that account's rows in both processes at once and keeps every other account's", async () => {
    const bystander = await signedInOnBoth(first, second);
    const { user, onSecond } = await signedInOnBoth(first, second);
    // The bystander's page is cached in both processes: reading it again costs neither a lookup nor a read.
    await eventually(async () => {
      const misses = await allMisses([first, second]);
      await Promise.all([bystander.onFirst.ok(PAGE), bystander.onSecond.ok(PAGE)]);
      return JSON.stringify(await allMisses([first, second])) === JSON.stringify(misses) ? true : undefined;
    });
    const bystanderKept = async () => {
      const misses = await allMisses([first, second]);
      expect((await bystander.onFirst.ok(PAGE)).me.username).toBe(bystander.user.username);
      expect((await bystander.onSecond.ok(PAGE)).me.username).toBe(bystander.user.username);
      expect(await allMisses([first, second])).toEqual(misses);
    };
    /** The writer (stepped up, on the first process) sees its change at once, the second process as soon as Redis tells it. */
    const seenByBoth = async (seen: (page: any) => boolean) => {
      expect(seen((await user.client.ok(PAGE)).me)).toBe(true);
      await eventually(async () => (seen((await onSecond.ok(PAGE)).me) ? true : undefined));
      await bystanderKept();
    };

    const email = uniqueEmail("cache");
    await bindContact(first, user.client, "EMAIL", email);
    await seenByBoth((me) => me.email !== null);

    const { secret, recoveryCodes } = await enrolTotp(first, user.client);
    await seenByBoth((me) => me.security.totpEnabled && me.security.recoveryCodesRemaining === 10);

    await stepUpWith(user.client, "RECOVERY_CODE", recoveryCodes[0]);
    await seenByBoth((me) => me.security.recoveryCodesRemaining === 9);

    // Claims the code's step on the authenticator's row: nothing the page shows.
    await stepUpWith(user.client, "TOTP", codeNow(first, secret));
    await bystanderKept();

    await user.client.ok(`mutation { regenerateRecoveryCodes { recoveryCodes } }`);
    await seenByBoth((me) => me.security.recoveryCodesRemaining === 10);

    await user.client.ok(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`);
    await seenByBoth((me) => me.security.twoStepEnabled);

    const first17 = "11010519900101" + String(Date.now() % 1000).padStart(3, "0");
    const verifyUrl = await startRealName(user.client, "张三", first17 + checkCharacter(first17));
    await seenByBoth((me) => me.realName?.status === "PENDING");
    expect((await fetch(verifyUrl)).status).toBe(200);
    await user.client.ok(`mutation { refreshRealNameVerification { realName { status } } }`);
    await seenByBoth((me) => me.realName?.status === "PASSED");

    first.clock.advanceSeconds(30);
    await user.client.ok(`mutation($code: String!) { disableTotp(input: { code: $code }) { account { id } } }`, {
      code: codeNow(first, secret),
    });
    await seenByBoth((me) => !me.security.totpEnabled && me.security.recoveryCodesRemaining === 0);

    // A new password signs out the account's other sessions, the one on the second process too.
    const changed = `${DEFAULT_PASSWORD}-changed`;
    await user.client.ok(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: changed } });
    await eventually(async () => ((await onSecond.ok(ME)).me === null ? true : undefined));
    await bystanderKept();

    // A reset signs out every session of the account, in both processes.
    const seen = sentCount(first, "EMAIL", email);
    await first.client.ok(`mutation($identifier: String!) { requestPasswordReset(input: { identifier: $identifier }) { identifier } }`, {
      identifier: email,
    });
    const code = await codeSentTo(first, "EMAIL", email, seen);
    // The challenge is recorded once the mail is accepted: the code may arrive a moment before.
    const resetChallenge = { purpose: "PASSWORD_RESET" as const, target: email };
    await eventually(async () => ((await first.dataSource.getRepository(ChallengeEntity).existsBy(resetChallenge)) ? true : undefined));
    await first.client.ok(`mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessionCount } }`, {
      input: { identifier: email, code, newPassword: `${DEFAULT_PASSWORD}-reset` },
    });
    expect((await user.client.ok(ME)).me).toBeNull();
    await bystanderKept();
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
    const again = `${DEFAULT_PASSWORD}-again`;
    await onSecond.ok(ME); // the second process caches the session with the old password's hash
    await renewing(onFirst, "changePassword", CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: changed } });
    // The change renewed the token: the second process's cached row, old hash and all, may still read
    // (the documented trade-off) but changes nothing, with the old password or the new one.
    expect((await onSecond.ok(ME)).me).not.toBeNull();
    for (const oldPassword of [DEFAULT_PASSWORD, changed]) {
      expect((await onSecond.fails(CHANGE_PASSWORD, { input: { oldPassword, newPassword: again } })).extensions?.code).toBe(
        "UNAUTHENTICATED",
      );
    }
    onSecond.adopt(onFirst.token!);
    expect(
      await renewing(onSecond, "changePassword", CHANGE_PASSWORD, { input: { oldPassword: changed, newPassword: again } }),
    ).toMatchObject({
      revokedSessionCount: 0, // the first change signed out every other session already
      revokedApiKeyCount: 0,
    });

    // A session signed out elsewhere may still read (the documented trade-off) but changes nothing.
    await onSecond.ok(ME);
    onFirst.adopt(onSecond.token!);
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
    await onFirst.ok(ME); // the first process caches the session's token as it is now
    onSecond.adopt(onFirst.token!);
    await stepUpWith(onSecond, "RECOVERY_CODE", recoveryCodes[0]);
    await onSecond.ok(ME);
    // The step-up renewed the session's token: the first process's cached copy of the old one gains nothing.
    expect((await onFirst.fails(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`)).extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    onFirst.adopt(onSecond.token!);
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
