import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS } from "../../src/db/migrations";
import { createTestDatabase, TEST_DATABASE, type TestDatabase } from "../helpers/databases";
import { engineIntegrityProblems, openDb } from "./support/db";
import { buildServer, realServerEnv, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * The real server (`node dist/src/main.js`, compiled here) under a concurrent write load, killed with
 * SIGKILL mid-load, restarted on the same database, twice. After each restart:
 *  - it serves again, and its migrations table lists exactly the migrations, in order;
 *  - every account whose registration was acknowledged signs in, with the password and username of
 *    its last acknowledged change (either one for a change cut off in flight), and an acknowledged
 *    password change or rename is applied (the old password or name no longer works);
 *  - the session's token works: the one register returned, or the one an acknowledged password change
 *    renewed it to (and then the old one no longer does; for a change cut off, the old one works
 *    exactly when the old password does); the extra session an acknowledged password change signed
 *    out stays signed out;
 *  - no half-done workflow: every account has exactly one ACCOUNT_CREATED event, no more sessions
 *    than SIGN_IN events, a PASSWORD_CHANGED event exactly when password_changed_at moved on from
 *    created_at (and then at most one session older than the change), a PROFILE_UPDATED event exactly when it has an
 *    avatar; no session or audit event without its account; username_normalized = lower(username);
 *  - SQLite's PRAGMA integrity_check is ok and foreign_key_check empty (PostgreSQL: no invalid index).
 * SQLite by default; PostgreSQL (a fresh schema) with TEST_DATABASE=postgres.
 */

const WORKERS = 16;
const ACCOUNTS_PER_WORKER = 40;
const CYCLES = 2;
/** Kill once at least this much is acknowledged, plus a random extra so the kill lands in different steps (or after KILL_AFTER_MS at the latest). */
const KILL_WHEN = { registered: 30, passwordsChanged: 10, extraUpTo: 20 };
const KILL_AFTER_MS = 15_000;

type Step = "none" | "acked" | "unknown";

interface AccountRecord {
  id?: string;
  readonly username0: string;
  readonly username1: string;
  readonly password0: string;
  readonly password1: string;
  register: Step;
  /** The token register returned. */
  token?: string;
  /** The token an acknowledged password change renewed the session to. */
  renewedToken?: string;
  secondSession: Step;
  secondToken?: string;
  profile: Step;
  password: Step;
}

interface Load {
  readonly records: AccountRecord[];
  readonly graphqlErrors: string[];
  inFlight: number;
  stopped: boolean;
  readonly done: Promise<void>;
}

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token account { id } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { result { __typename ... on AuthPayload { token account { id } } } } }`;
const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id username } } }`;
const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount token } }`;

/** One request; throws `lost` when no HTTP answer came (the process died), a GraphQL error otherwise. */
class Lost extends Error {}
async function call(url: string, query: string, variables: Record<string, unknown>, token?: string, timeoutMs = 15_000) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Lost(String(error));
  }
  let body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new Lost(`answer cut off: ${String(error)}`);
  }
  return body;
}

function newRecord(): AccountRecord {
  const tag = randomBytes(5).toString("hex");
  return {
    username0: `crash_${tag}`,
    username1: `moved_${tag}`,
    password0: `first-Pass-${tag}`,
    password1: `second-Pass-${tag}`,
    register: "none",
    secondSession: "none",
    profile: "none",
    password: "none",
  };
}

/** WORKERS concurrent sign-up flows (register, sign in again, rename + avatar, change password), until the server dies. */
function startLoad(url: string, records: AccountRecord[]): Load {
  const load: Load = { records, graphqlErrors: [], inFlight: 0, stopped: false, done: Promise.resolve() };
  const step = async <T>(
    record: AccountRecord,
    key: "register" | "secondSession" | "profile" | "password",
    run: () => Promise<T>,
  ): Promise<T | undefined> => {
    load.inFlight++;
    record[key] = "unknown";
    try {
      const result = await run();
      record[key] = "acked";
      return result;
    } catch (error) {
      if (error instanceof Lost) {
        load.stopped = true;
        return undefined;
      }
      record[key] = "none";
      load.graphqlErrors.push(`${record.username0} ${key}: ${(error as Error).message}`);
      return undefined;
    } finally {
      load.inFlight--;
    }
  };
  const ok = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const body = await call(url, query, variables, token);
    if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const worker = async () => {
    for (let i = 0; i < ACCOUNTS_PER_WORKER && !load.stopped; i++) {
      const record = newRecord();
      records.push(record);
      const registered = await step(record, "register", () =>
        ok(REGISTER, { input: { username: record.username0, password: record.password0 } }),
      );
      if (!registered) return;
      record.id = registered.register.account.id;
      record.token = registered.register.token;
      const second = await step(record, "secondSession", () =>
        ok(LOGIN, { input: { identifier: record.username0, password: record.password0 } }),
      );
      if (!second) return;
      record.secondToken = second.login.result.token;
      const avatarUrl = `https://cdn.example.com/avatars/${record.username1}.png`;
      if (!(await step(record, "profile", () => ok(UPDATE, { input: { username: record.username1, avatarUrl } }, record.token)))) return;
      const changed = await step(record, "password", () =>
        ok(CHANGE, { input: { oldPassword: record.password0, newPassword: record.password1 } }, record.token),
      );
      if (!changed) return;
      record.renewedToken = changed.changePassword.token;
    }
  };
  (load as { done: Promise<void> }).done = Promise.all(Array.from({ length: WORKERS }, worker)).then(() => undefined);
  return load;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

const count = (records: AccountRecord[], key: "register" | "password", step: Step = "acked") =>
  records.filter((r) => r[key] === step).length;

/** Tries each candidate name and password; the account signs in with exactly the expected ones. */
async function signInProblems(url: string, record: AccountRecord): Promise<string[]> {
  const problems: string[] = [];
  const names =
    record.profile === "acked"
      ? [record.username1]
      : record.profile === "unknown"
        ? [record.username0, record.username1]
        : [record.username0];
  const passwords =
    record.password === "acked"
      ? [record.password1]
      : record.password === "unknown"
        ? [record.password0, record.password1]
        : [record.password0];
  let signedIn = false;
  for (const identifier of names) {
    for (const password of passwords) {
      const body = await call(url, LOGIN, { input: { identifier, password } });
      if (body.data?.login?.result?.account?.id === record.id) signedIn = true;
    }
  }
  if (!signedIn)
    problems.push(
      `${record.username0} (${record.id}): cannot sign in with ${names.join("/")} and ${passwords.length} candidate password(s); profile ${record.profile}, password ${record.password}`,
    );
  if (record.password === "acked") {
    const old = await call(url, LOGIN, { input: { identifier: record.username1, password: record.password0 } });
    if (old.errors?.[0]?.extensions?.code !== "INVALID_CREDENTIALS")
      problems.push(`${record.username0}: the password change was acknowledged, yet the old password answers ${JSON.stringify(old)}`);
  }
  if (record.profile === "acked") {
    const password = record.password === "acked" ? record.password1 : record.password0;
    const oldName = await call(url, LOGIN, { input: { identifier: record.username0, password } });
    if (record.password !== "unknown" && oldName.errors?.[0]?.extensions?.code !== "INVALID_CREDENTIALS") {
      problems.push(`${record.username0}: the rename was acknowledged, yet the old username answers ${JSON.stringify(oldName)}`);
    }
  }
  const works = async (token?: string) => (await call(url, `{ me { id } }`, {}, token)).data?.me?.id === record.id;
  if (record.password === "acked") {
    if (!(await works(record.renewedToken))) problems.push(`${record.username0}: the token the password change renewed to does not work`);
    if (await works(record.token))
      problems.push(`${record.username0}: the password change was acknowledged, yet the old token still works`);
  } else if (record.password === "none") {
    if (!(await works(record.token))) problems.push(`${record.username0}: the token register returned no longer works`);
  } else {
    const oldPassword = await call(url, LOGIN, { input: { identifier: names[names.length - 1], password: record.password0 } });
    const unchanged = oldPassword.data?.login?.result?.account?.id === record.id;
    if ((await works(record.token)) !== unchanged)
      problems.push(`${record.username0}: after a password change cut off, the old token ${unchanged ? "no longer works" : "still works"}`);
  }
  if (record.secondSession === "acked" && record.password !== "unknown") {
    const second = await call(url, `{ me { id } }`, {}, record.secondToken);
    const signedOut = second.data?.me === null;
    if (record.password === "acked" && !signedOut)
      problems.push(`${record.username0}: the password change was acknowledged, yet the other session still works`);
    if (record.password === "none" && signedOut) problems.push(`${record.username0}: the second session was lost, with no password change`);
  }
  return problems;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))).flat());
  return out;
}

/** Cross-table invariants of the workflows; each query lists offenders. */
const CONSISTENCY: Record<string, string> = {
  "sessions without an account": `SELECT s.id FROM "sessions" s LEFT JOIN "accounts" a ON a.id = s.account_id WHERE a.id IS NULL`,
  "audit events without an account": `SELECT e.id FROM "audit_events" e LEFT JOIN "accounts" a ON a.id = e.account_id WHERE a.id IS NULL`,
  "accounts without exactly one ACCOUNT_CREATED event": `SELECT a.id FROM "accounts" a WHERE (SELECT COUNT(*) FROM "audit_events" e WHERE e.account_id = a.id AND e.type = 'ACCOUNT_CREATED') <> 1`,
  "accounts with more sessions than SIGN_IN events": `SELECT a.id FROM "accounts" a WHERE (SELECT COUNT(*) FROM "sessions" s WHERE s.account_id = a.id) > (SELECT COUNT(*) FROM "audit_events" e WHERE e.account_id = a.id AND e.type = 'SIGN_IN')`,
  // register sets password_changed_at = created_at; a change moves it on
  "accounts whose password_changed_at and PASSWORD_CHANGED event disagree": `SELECT a.id FROM "accounts" a WHERE (CASE WHEN a.password_changed_at = a.created_at THEN 0 ELSE 1 END) <> (CASE WHEN EXISTS (SELECT 1 FROM "audit_events" e WHERE e.account_id = a.id AND e.type = 'PASSWORD_CHANGED') THEN 1 ELSE 0 END)`,
  "accounts with a changed password and more than one session from before the change": `SELECT a.id FROM "accounts" a WHERE a.password_changed_at <> a.created_at AND (SELECT COUNT(*) FROM "sessions" s WHERE s.account_id = a.id AND s.created_at < a.password_changed_at) > 1`,
  "accounts whose avatar and PROFILE_UPDATED event disagree": `SELECT a.id FROM "accounts" a WHERE (CASE WHEN a.avatar_url IS NULL THEN 0 ELSE 1 END) <> (CASE WHEN EXISTS (SELECT 1 FROM "audit_events" e WHERE e.account_id = a.id AND e.type = 'PROFILE_UPDATED') THEN 1 ELSE 0 END)`,
  "accounts whose username_normalized is not lower(username)": `SELECT a.id FROM "accounts" a WHERE a.username_normalized <> LOWER(a.username)`,
};

async function databaseProblems(env: Record<string, string>): Promise<string[]> {
  const db = await openDb(env);
  try {
    const problems = await engineIntegrityProblems(db, env.DATABASE_SCHEMA);
    const migrations = await db.all<{ name: string }>(`SELECT name FROM "migrations" ORDER BY timestamp`);
    const expected = MIGRATIONS.map((migration) => migration.name);
    if (JSON.stringify(migrations.map((m) => m.name)) !== JSON.stringify(expected)) {
      problems.push(`migrations table: ${JSON.stringify(migrations)} instead of ${JSON.stringify(expected)}`);
    }
    for (const [name, sql] of Object.entries(CONSISTENCY)) {
      const offenders = await db.all(sql);
      if (offenders.length) problems.push(`${name}: ${JSON.stringify(offenders.slice(0, 5))} (${offenders.length})`);
    }
    return problems;
  } finally {
    await db.close();
  }
}

describe(`crash recovery of the real server process on ${TEST_DATABASE}`, () => {
  let build: BuiltServer;
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let logFile: string;

  beforeAll(async () => {
    build = buildServer();
    database = await createTestDatabase();
    logFile = path.join(build.dir, "server.log");
    env = await realServerEnv(database.env, {
      RATE_LIMIT_REGISTER_IP: "100000/3600",
      RATE_LIMIT_LOGIN_IP: "100000/900",
      RATE_LIMIT_LOGIN_IDENTIFIER: "100000/900",
    });
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    build?.remove();
  });

  it(`keeps every acknowledged write and no half-done workflow across ${CYCLES} SIGKILLs mid-load`, async () => {
    const records: AccountRecord[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      server = await startServerProcess(build.mainJs, env, logFile);
      const registeredBefore = count(records, "register");
      const changedBefore = count(records, "password");
      const load = startLoad(server.url, records);
      const extra = Math.floor(Math.random() * (KILL_WHEN.extraUpTo + 1));
      await until(
        () =>
          count(records, "register") - registeredBefore >= KILL_WHEN.registered + extra &&
          count(records, "password") - changedBefore >= KILL_WHEN.passwordsChanged + extra,
        KILL_AFTER_MS,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 50)));
      const inFlightAtKill = load.inFlight;
      expect(server.isRunning()).toBe(true);
      expect(await server.kill()).toBe("SIGKILL");
      await load.done;
      // The load ran, was cut off mid-flight, and met no error before the kill.
      expect(load.graphqlErrors).toEqual([]);
      expect(inFlightAtKill).toBeGreaterThan(0);
      expect(count(records, "register") - registeredBefore).toBeGreaterThanOrEqual(KILL_WHEN.registered);

      // Before the restart: the files (or schema) as the killed process left them.
      expect(await databaseProblems(env)).toEqual([]);

      server = await startServerProcess(build.mainJs, env, logFile);
      const providers = await call(server.url, `{ providers { kind } }`, {});
      expect(providers.data?.providers).toHaveLength(3);
      const acked = records.filter((r) => r.register === "acked");
      const problems = await inBatches(acked, 8, (record) => signInProblems(server!.url, record));
      expect(problems).toEqual([]);
      expect(await databaseProblems(env)).toEqual([]);
      console.log(
        `crash cycle ${cycle} (${TEST_DATABASE}): killed with ${inFlightAtKill} requests in flight; ${acked.length} acknowledged accounts ` +
          `(${count(records, "register", "unknown")} registrations cut off), ${count(records, "password")} acknowledged password changes ` +
          `(${count(records, "password", "unknown")} cut off) all verified`,
      );
      await server.stop();
      expect(server.isRunning()).toBe(false);
    }
    expect(await databaseProblems(env)).toEqual([]);
    // The server wrote no unexpected error while it was up (the kill leaves no log line of its own).
    expect(fs.readFileSync(logFile, "utf8")).not.toMatch(/"level":(50|60)/);
  }, 240_000);
});
