/**
 * `npm run bench`: the real server as a child process on a fresh database, seeded in bulk, measured
 * with autocannon on loopback, next to baselines (a bare Apollo server, raw bcrypt). See
 * docs/performance.md.
 *
 *   npm run bench -- [--postgres] [--scale] [--accounts=10000] [--duration=10] [--profile] ...
 *
 * Every flag can also come from the environment (BENCH_POSTGRES=1, BENCH_ACCOUNTS=..., see OPTIONS).
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type autocannon from "autocannon";
import { Client } from "pg";
import { In, type DataSource } from "typeorm";
import { loadConfig, type DatabaseConfig } from "../src/config";
import { DataCipher } from "../src/core/cipher";
import { createDataSource } from "../src/db/data-source";
import { AccountEntity } from "../src/entities";
import { PasswordHasher } from "../src/modules/password/password-hasher";
import { freePort } from "../tests/helpers/free-port";
import { startScriptNodeFlags, startServerProcess, type ServerProcess } from "./child-process";
import { CpuMeter, foreignCpu, processCpuSeconds } from "./cpu";
import {
  cannonSliceable,
  gql,
  ME_QUERY,
  rawBcrypt,
  rotatingBearer,
  runAlternating,
  runCannon,
  runRawBcrypt,
  type CannonSpec,
  type MeasureHooks,
  type ScenarioResult,
} from "./load";
import { formatProfile, summarizeProfile, type ProfileSummary } from "./profile-summary";
import { BENCH_PASSWORD, freshen, seed, username, type Dialect, type SeedResult } from "./seed";
import { seedRichAccounts } from "./rich";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";
import { spaDocument } from "./spa-documents";
import { steadyWrites, type MixedAccount, type SteadyWriteCounts } from "./steady-writes";

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  readonly postgres: boolean;
  readonly scale: boolean;
  readonly accounts: number;
  readonly scaleAccounts: number;
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
  readonly loginConnections: number;
  readonly writeConnections: number;
  readonly bcryptCost: number;
  readonly postgresUrl: string;
  readonly profile: boolean;
  readonly keep: boolean;
  readonly quietWait: number;
  readonly retries: number;
  /** Node flags for the server under test and the bare baseline: npm start's, then --node-options. */
  readonly nodeOptions: string[];
  readonly authCacheSeconds: string;
  readonly redisUrl: string;
  readonly richAccounts: number;
  readonly mixedRate: number;
  /** The stages to run (--only); all of STAGES by default. */
  readonly only: readonly Stage[];
}

/** What --only can select; a stage's baselines and scenarios run only when it is selected. */
const STAGES = ["ceiling", "bare", "me", "page", "pages", "apikey", "login", "write", "mixed", "startup"] as const;
type Stage = (typeof STAGES)[number];

/** flag (argv `--name` / `--name=value`), environment variable, default, description. */
const OPTIONS = {
  postgres: ["BENCH_POSTGRES", false, "also run on PostgreSQL (a fresh schema)"],
  scale: ["BENCH_SCALE", false, "also seed --scale-accounts accounts and compare me/login p99 with --accounts"],
  accounts: ["BENCH_ACCOUNTS", 10_000, "accounts to seed for the main run"],
  "scale-accounts": ["BENCH_SCALE_ACCOUNTS", 1_000_000, "accounts for the --scale run"],
  duration: ["BENCH_DURATION", 10, "seconds per measured scenario"],
  warmup: ["BENCH_WARMUP", 5, "seconds of unmeasured warm-up before each `me` scenario (JIT), after one request per token"],
  connections: ["BENCH_CONNECTIONS", 32, "connections for the `me` scenarios and the bare Apollo baseline"],
  "login-connections": ["BENCH_LOGIN_CONNECTIONS", 8, "connections for login, and parallel compares for raw bcrypt"],
  "write-connections": ["BENCH_WRITE_CONNECTIONS", 16, "connections for the write path"],
  "bcrypt-cost": ["BCRYPT_COST", 12, "bcrypt cost (the server's BCRYPT_COST)"],
  "postgres-url": ["BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test", "PostgreSQL to use with --postgres"],
  profile: [
    "BENCH_PROFILE",
    false,
    "profile the server during one extra `me` run per database (and the bare baseline), measured seconds only, and summarise it",
  ],
  retries: ["BENCH_RETRIES", 2, "measure again (up to this many times) when other processes used > 0.2 CPU during a measurement"],
  "quiet-wait": [
    "BENCH_QUIET_WAIT",
    15,
    "before each measurement, wait up to this many seconds for other processes to use < 0.2 CPU (0: don't)",
  ],
  "node-options": [
    "BENCH_NODE_OPTIONS",
    "",
    "extra node flags for the server under test, space-separated (after the flags of package.json's start script)",
  ],
  "auth-cache-seconds": [
    "BENCH_AUTH_CACHE_SECONDS",
    "",
    "the server's AUTH_CACHE_SECONDS (empty: its default); 0 measures every `me` reading the database",
  ],
  "redis-url": [
    "BENCH_REDIS_URL",
    "redis://127.0.0.1:6379",
    "Redis for the servers (a fresh REDIS_PREFIX per run): the mixed scenario shares invalidations through it",
  ],
  "rich-accounts": [
    "BENCH_RICH_ACCOUNTS",
    1_000,
    "accounts given everything the account center shows (contacts, identities, TOTP, real name, sessions, keys, log)",
  ],
  "mixed-rate": ["BENCH_MIXED_RATE", 10, "sign-ins, and other writes, per second on the second process of the mixed scenario"],
  keep: ["BENCH_KEEP", false, "keep the temp dir (SQLite files, server logs) and the PostgreSQL schemas"],
  only: ["BENCH_ONLY", STAGES.join(","), "the stages to run, comma-separated (--profile then profiles the selected me and page)"],
} as const;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1] in OPTIONS)) {
      if (arg === "--help" || arg === "-h") {
        console.log(
          Object.entries(OPTIONS)
            .map(
              ([name, [envName, fallback, text]]) =>
                `  --${name}${typeof fallback === "boolean" ? "" : `=${fallback}`}  (${envName})  ${text}`,
            )
            .join("\n"),
        );
        process.exit(0);
      }
      throw new Error(`unknown argument ${arg} (try --help)`);
    }
    flags.set(match[1], match[2] ?? "true");
  }
  const read = <K extends keyof typeof OPTIONS>(name: K): (typeof OPTIONS)[K][1] => {
    const [envName, fallback] = OPTIONS[name];
    const raw = flags.get(name) ?? env[envName];
    if (raw === undefined || raw === "") return fallback;
    if (typeof fallback === "boolean") return /^(1|true|yes|on)$/i.test(raw) as never;
    if (typeof fallback === "number") {
      const value = Number(raw.replace(/_/g, ""));
      if (!Number.isFinite(value) || value < 0 || (value === 0 && !["quiet-wait", "warmup", "retries"].includes(name)))
        throw new Error(`--${name} must be a positive number (got ${raw})`);
      return value as never;
    }
    return raw;
  };
  return {
    postgres: read("postgres"),
    scale: read("scale"),
    accounts: Math.floor(read("accounts")),
    scaleAccounts: Math.floor(read("scale-accounts")),
    duration: read("duration"),
    warmup: read("warmup"),
    connections: Math.floor(read("connections")),
    loginConnections: Math.floor(read("login-connections")),
    writeConnections: Math.floor(read("write-connections")),
    bcryptCost: Math.floor(read("bcrypt-cost")),
    postgresUrl: read("postgres-url"),
    profile: read("profile"),
    keep: read("keep"),
    quietWait: read("quiet-wait"),
    retries: Math.floor(read("retries")),
    // The flags `npm start` runs the server with come first, so the bench measures what is deployed.
    nodeOptions: [
      ...startScriptNodeFlags(path.resolve(__dirname, "../../package.json")),
      ...read("node-options").split(/\s+/).filter(Boolean),
    ],
    authCacheSeconds: read("auth-cache-seconds"),
    redisUrl: read("redis-url"),
    richAccounts: Math.floor(read("rich-accounts")),
    mixedRate: read("mixed-rate"),
    only: parseStages(read("only")),
  };
}

function parseStages(raw: string): readonly Stage[] {
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(STAGES as readonly string[]).includes(name));
  if (unknown.length || names.length === 0) throw new Error(`--only takes some of ${STAGES.join(",")} (got ${raw})`);
  return [...new Set(names as Stage[])];
}

// ---------------------------------------------------------------------------------------------
// Environment of the machine and of the servers

function machine() {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown",
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

const HIGH_LIMIT = "1000000000/60";
const RATE_LIMIT_SETTINGS = [
  "RATE_LIMIT_LOGIN_IDENTIFIER",
  "RATE_LIMIT_LOGIN_IP",
  "RATE_LIMIT_PASSWORD_ACCOUNT",
  "RATE_LIMIT_REGISTER_IP",
  "RATE_LIMIT_CODE_TARGET_HOUR",
  "RATE_LIMIT_CODE_TARGET_DAY",
  "RATE_LIMIT_CODE_ACCOUNT",
  "RATE_LIMIT_CODE_IP",
  "RATE_LIMIT_SECOND_FACTOR_ACCOUNT",
];

/**
 * Production settings: mail over SMTP to the sink, SMS to a (never called) Aliyun endpoint because
 * production refuses the console stand-ins, every rate limit far above what a run can reach (every
 * request comes from 127.0.0.1), LOG_LEVEL=warn.
 */
function serverEnv(
  options: Options,
  database: DatabaseConfig,
  smtp: SmtpSink,
  dataKey: string,
  redisPrefix: string,
): Record<string, string> {
  return {
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: redisPrefix,
    METRICS_TOKEN: METRICS_TOKEN,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    BCRYPT_COST: String(options.bcryptCost),
    ...(database.kind === "sqlite"
      ? { DATABASE_URL: `sqlite:${database.file}` }
      : { DATABASE_URL: database.url, ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}) }),
    DATA_ENCRYPTION_KEY: dataKey,
    EMAIL_PROVIDER: "smtp",
    SMTP_URL: smtp.url,
    EMAIL_FROM: "Account Platform <no-reply@account.example.com>",
    SMS_PROVIDER: "aliyun",
    ALIYUN_ACCESS_KEY_ID: "bench",
    ALIYUN_ACCESS_KEY_SECRET: "bench",
    ALIYUN_SMS_SIGN_NAME: "bench",
    ALIYUN_SMS_TEMPLATE_CODE: "SMS_0",
    ALIYUN_SMS_ENDPOINT: "http://127.0.0.1:9",
    ...Object.fromEntries(RATE_LIMIT_SETTINGS.map((name) => [name, HIGH_LIMIT])),
    ...(options.authCacheSeconds ? { AUTH_CACHE_SECONDS: options.authCacheSeconds } : {}),
  };
}

const METRICS_TOKEN = randomBytes(24).toString("hex");

// ---------------------------------------------------------------------------------------------
// Scenarios

const LOGIN =
  "mutation Login($i: String!, $p: String!) { login(input: { identifier: $i, password: $p }) { result { __typename ... on AuthPayload { token } } } }";
const REQUEST_STEP_UP = spaDocument("actions.tsx", "RequestStepUp");
const COMPLETE_STEP_UP = spaDocument("actions.tsx", "CompleteStepUp");
const START_BINDING = spaDocument("pages/contacts.tsx", "StartContactBinding");
const CONFIRM_BINDING = spaDocument("pages/contacts.tsx", "ConfirmContactBinding");

/**
 * Scenarios measured side by side get 8 slices each of a tenth of --duration (meAlternatingWithCeiling):
 * with the pass over the tokens (~6 s) and ~0.15 s between slices, the last `me` slice ends ~26 s
 * after its warm-up began at the default --duration, within the authentication cache's 30 s.
 */
const ALTERNATING_SLICES = 8;

const isMe = (body: string) => body.startsWith('{"data":{"me":{"id":');

/** An account center page: the signed-in account's data, without errors. */
const isPage = (body: string) => body.startsWith('{"data":{"me":{') && !body.includes('"errors":');

/** The account center's own documents, read from web/src: the bench sends what the SPA sends. */
const PAGES = {
  page: { name: "account center page (query Me)", body: gql(spaDocument("session.tsx", "Me")) },
  sessions: { name: "sessions page (query Sessions)", body: gql(spaDocument("pages/sessions.tsx", "Sessions")) },
  apiKeys: { name: "API-key page (query ApiKeys)", body: gql(spaDocument("pages/api-keys.tsx", "ApiKeys")) },
  securityLog: {
    name: "security log, first page (query AuditEvents)",
    body: gql(spaDocument("pages/security-log.tsx", "AuditEvents"), { after: null }),
  },
} as const;

/** One of PAGES with the tokens of the rich accounts, one per request. */
function pageSpec(
  page: { name: string; body: string },
  url: string,
  options: Options,
  tokens: string[],
  hooks: MeasureHooks,
  nameSuffix = "",
): CannonSpec {
  return {
    hooks,
    name: `${page.name}${nameSuffix}`,
    url,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupRequests: tokens.length,
    warmupSeconds: options.warmup,
    requests: [rotatingBearer(tokens, page.body)],
    verifyBody: isPage,
    notes: () => ({ distinctTokens: tokens.length }),
  };
}

/** `{ hello }` on Apollo's standalone server (bench/standalone-apollo.ts): the ceiling. */
function helloSpec(name: string, origin: string, options: Options, hooks: MeasureHooks): CannonSpec {
  return {
    hooks,
    name,
    url: `${origin}/`,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    requests: [{ method: "POST", path: "/", body: gql("{ hello }") }],
    verifyBody: (body) => body.startsWith('{"data":{"hello":"world"}'),
  };
}

function meSpec(
  name: string,
  url: string,
  options: Options,
  tokens: string[],
  hooks: MeasureHooks,
  warmupRequests = tokens.length,
): CannonSpec {
  return {
    hooks,
    name,
    url,
    connections: options.connections,
    durationSeconds: options.duration,
    // Every token is sent once before the measurement (then --warmup seconds more): the steady state
    // of an SPA, whose page loads repeat a token, is what is measured; the first request of a token
    // (an authentication-cache miss) is measured with --auth-cache-seconds=0.
    warmupRequests,
    warmupSeconds: options.warmup,
    requests: [rotatingBearer(tokens, gql(ME_QUERY))],
    verifyBody: isMe,
    notes: () => ({ distinctTokens: tokens.length }),
  };
}

function meScenario(name: string, url: string, options: Options, tokens: string[], hooks: MeasureHooks): Promise<ScenarioResult> {
  return runCannon(meSpec(name, url, options, tokens, hooks));
}

function loginSpec(
  url: string,
  options: Options,
  accounts: number,
  hooks: MeasureHooks,
  name = `login (bcrypt cost ${options.bcryptCost})`,
): CannonSpec {
  let next = 0;
  // Spread over the accounts (a stride coprime with most counts), one identifier per request, leaving
  // out the mixed scenario's accounts (see seedDatabase): their cost-MIXED_BCRYPT_COST hashes would
  // be compared beside one at the server's cost, then rehashed.
  const stride = 7919;
  const skipFrom = Math.min(options.richAccounts, accounts);
  const skipped = Math.min(MIXED_ACCOUNTS, accounts - skipFrom);
  return {
    hooks,
    name,
    url,
    connections: options.loginConnections,
    durationSeconds: options.duration,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        setupRequest: (request) => {
          const drawn = (next++ * stride) % (accounts - skipped);
          const index = drawn < skipFrom ? drawn : drawn + skipped;
          request.body = gql(LOGIN, { i: username(index), p: BENCH_PASSWORD });
          return request;
        },
      },
    ],
    verifyBody: (body) => body.includes('"token":"ses_'),
  };
}

function loginScenario(url: string, options: Options, accounts: number, hooks: MeasureHooks): Promise<ScenarioResult> {
  return runCannon(loginSpec(url, options, accounts, hooks));
}

interface WriteContext {
  token?: string;
  email?: string;
  stepUpId?: string;
  challengeId?: string;
}

/** The write path's four requests, in order: each answers `data` with its field, and no errors. */
const WRITE_FIELDS = ["requestStepUp", "completeStepUp", "startContactBinding", "confirmContactBinding"] as const;

/** What the write path reads of an answer: the challenge started, or the token a step-up renewed. */
interface WriteAnswer {
  readonly challenge?: { readonly id: string };
  readonly token?: string;
}

/** The field a write path's answer carries, or undefined for an error or another answer. */
function writeAnswer(body: string): { field: (typeof WRITE_FIELDS)[number]; value: WriteAnswer } | undefined {
  try {
    const { data, errors } = JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: unknown };
    const field = WRITE_FIELDS.find((name) => data?.[name]);
    return field && !errors ? { field, value: data![field] as WriteAnswer } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a user does to bind a first email: a step-up with the password (requestStepUp, then
 * completeStepUp), startContactBinding (the code goes out over SMTP to the sink), then
 * confirmContactBinding with the code read from the sink, the account center's own documents. Each
 * flow binds an email to a different account (a second binding would replace the first), taking
 * accounts from the last one down. An answer with errors counts as one, and a flow that cannot go on
 * (no challenge, no code) as an aborted flow.
 */
async function writeScenario(
  url: string,
  options: Options,
  tokens: string[],
  pool: { next: number },
  smtp: SmtpSink,
  tag: string,
  hooks: MeasureHooks,
  /** A step-up renewed the token `old` (null: a flow cut off by the end may have renewed it). */
  renewed: (old: string, token: string | null) => void,
): Promise<ScenarioResult> {
  let flows = 0;
  const unsettled = new Set<string>();
  let aborted = 0;
  let exhausted = false;
  let firstError: string | undefined;
  let instance: autocannon.Instance | undefined;
  const mailsBefore = smtp.received();
  const post = (
    setup: (ctx: WriteContext) => string | null,
    onAnswer: (ctx: WriteContext, answer: WriteAnswer) => void = () => undefined,
  ): autocannon.Request => ({
    method: "POST",
    path: "/graphql",
    setupRequest: (request, context) => {
      const ctx = context as WriteContext;
      const body = setup(ctx);
      if (body === null) {
        aborted++;
        return null as unknown as autocannon.Request; // autocannon starts the sequence over
      }
      request.headers = { ...request.headers, authorization: `Bearer ${ctx.token}` };
      request.body = body;
      return request;
    },
    onResponse: (_status, body, context) => {
      const answer = writeAnswer(body);
      if (answer) onAnswer(context, answer.value);
      else firstError ??= body.slice(0, 300);
    },
  });
  const result = await runCannon({
    hooks,
    name: "write: step-up + startContactBinding + confirmContactBinding",
    url,
    connections: options.writeConnections,
    durationSeconds: options.duration,
    onInstance: (created) => {
      instance = created;
    },
    requests: [
      post(
        (ctx) => {
          if (pool.next < 0) {
            // Out of unbound accounts: stop the run (the last requests then fail and are counted).
            exhausted = true;
            instance?.stop();
          }
          const index = Math.max(pool.next--, 0);
          unsettled.add(tokens[index]);
          Object.assign(ctx, {
            token: tokens[index],
            email: `a${index}.${tag}@bench.example.com`,
            stepUpId: undefined,
            challengeId: undefined,
          });
          return gql(REQUEST_STEP_UP, { method: "PASSWORD" });
        },
        (ctx, answer) => void (ctx.stepUpId = answer.challenge?.id),
      ),
      post(
        (ctx) => (ctx.stepUpId ? gql(COMPLETE_STEP_UP, { id: ctx.stepUpId, password: BENCH_PASSWORD }) : null),
        // The step-up renews the session's token: the SPA sends the new one from then on.
        (ctx, answer) => {
          if (ctx.token && answer.token) {
            unsettled.delete(ctx.token);
            renewed(ctx.token, answer.token);
          }
          ctx.token = answer.token;
        },
      ),
      post(
        (ctx) => gql(START_BINDING, { input: { kind: "EMAIL", address: ctx.email } }),
        (ctx, answer) => void (ctx.challengeId = answer.challenge?.id),
      ),
      post(
        (ctx) => {
          const code = ctx.email ? smtp.takeCode(ctx.email) : undefined;
          return ctx.challengeId && code ? gql(CONFIRM_BINDING, { input: { challengeId: ctx.challengeId, code } }) : null;
        },
        () => void flows++,
      ),
    ],
    verifyBody: (body) => writeAnswer(body) !== undefined,
    extraErrors: () => ({ flowsAborted: aborted }),
    notes: () => ({
      completedFlows: flows,
      flowsPerSecond: Math.round((flows / options.duration) * 10) / 10,
      mailsReceived: smtp.received() - mailsBefore,
      accountPoolExhausted: exhausted,
      ...(firstError ? { firstError } : {}),
    }),
  });
  // Flows autocannon cut off at the end: whether their step-ups went through is not known.
  for (const token of unsettled) renewed(token, null);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Runs

interface ServerReport {
  readonly startupSeconds: number;
  readonly peakRssMb: number | null;
  readonly rssMb: number | null;
  readonly logLines: number;
  readonly logFile: string;
}

interface DatabaseRun {
  readonly database: Dialect;
  readonly accounts: number;
  /** The server's memory after start-up and after each scenario (VmHWM is the peak so far). */
  readonly memoryTimeline: Array<{ after: string; peakRssMb: number | null; rssMb: number | null }>;
  readonly seed: Omit<SeedResult, "meTokens" | "meSessionIds" | "allTokens" | "apiKeySecrets" | "apiKeyIds" | "rich">;
  readonly scenarios: ScenarioResult[];
  readonly server: ServerReport;
  /** From spawning the built server on a fresh database to its first answer, one per try. */
  readonly startupOnFreshDatabase?: StartupTry[];
}

const log = (message: string) => console.log(`» ${message}`);

/** The mixed scenario's writer signs in at this bcrypt cost, to these many accounts (see Bench.mixed). */
const MIXED_BCRYPT_COST = 4;
const MIXED_ACCOUNTS = 2_000;
const STARTUP_TRIES = 3;

interface StartupTry {
  readonly seconds: number;
  /** The server's own CPU time until then. */
  readonly cpuSeconds: number;
}

interface CacheLookups {
  hit: number;
  miss: number;
}

/** The server's authentication-cache lookups so far, from its /metrics. */
async function cacheLookups(origin: string): Promise<CacheLookups> {
  const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  const count = (result: string) =>
    Number(new RegExp(`^auth_cache_lookups_total\\{result="${result}"\\} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
  return { hit: count("hit"), miss: count("miss") };
}

class Bench {
  private ceiling?: ServerProcess;
  private readonly children = new Set<ServerProcess>();
  private readonly schemas: string[] = [];
  readonly dataKey = randomBytes(32).toString("base64");

  constructor(
    readonly options: Options,
    readonly tmp: string,
    readonly smtp: SmtpSink,
    readonly passwordHash: string,
  ) {}

  async start(
    name: string,
    script: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
    ready?: (origin: string) => Promise<boolean>,
  ): Promise<{ server: ServerProcess; startupSeconds: number }> {
    const port = await freePort();
    const t0 = performance.now();
    const server = await startServerProcess({ script, env, nodeArgs, port, logFile: path.join(this.tmp, `${name}.log`), ready });
    this.children.add(server);
    return { server, startupSeconds: Math.round((performance.now() - t0) / 100) / 10 };
  }

  async stop(server: ServerProcess): Promise<void> {
    await server.stop();
    this.children.delete(server);
  }

  /** Waits (up to --quiet-wait) for a machine the other processes leave alone. */
  async quiet(ours: number[]): Promise<void> {
    const deadline = performance.now() + this.options.quietWait * 1000;
    let said = false;
    while (performance.now() < deadline) {
      const other = await foreignCpu(1000, ours);
      if (other < 0.2) break;
      if (!said) log(`  waiting for a quieter machine (other processes use ${other.toFixed(2)} CPU)`);
      said = true;
    }
  }

  /** Meters the CPU around a measurement, after waiting for a quiet machine unless told not to. */
  hooks(serverPid?: number, waitForQuiet = true): MeasureHooks {
    const meter = new CpuMeter();
    return {
      before: async () => {
        if (waitForQuiet) await this.quiet(serverPid ? [serverPid] : []);
        meter.begin();
      },
      after: () => meter.end(serverPid),
    };
  }

  /**
   * Runs a measurement (of one or more scenarios); when other processes used more than 0.2 CPU
   * meanwhile, runs it again (up to --retries times) and keeps the least disturbed attempt.
   */
  async undisturbed(run: () => Promise<ScenarioResult | ScenarioResult[]>): Promise<ScenarioResult[]> {
    const disturbance = (results: ScenarioResult[]) => Math.max(...results.map((result) => result.cpu?.other ?? 0));
    let best: ScenarioResult[] | undefined;
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      const results = [await run()].flat();
      const other = disturbance(results);
      if (!best || other < disturbance(best))
        best = results.map((result) => ({ ...result, notes: { ...result.notes, attempts: attempt + 1 } }));
      if (other <= 0.2) break;
      if (attempt < this.options.retries)
        log(`  other processes used ${other} CPU during ${results.map((result) => result.name).join(" and ")}: measuring again`);
    }
    return best!;
  }

  /** Synchronous, for process exit: no child outlives the bench. */
  killAll(): void {
    for (const child of this.children) child.kill();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => child.stop()));
    this.children.clear();
  }

  /** Starts the bare baseline (our HTTP stack without our schema) and measures it once. */
  async bareApollo(tokens: string[]): Promise<{ result: ScenarioResult; server: ServerReport }> {
    log("baseline: bare Apollo server (constant `me`)");
    const { server, startupSeconds } = await this.start(
      "bare-apollo",
      path.join(__dirname, "bare-apollo.js"),
      { NODE_ENV: "production" },
      this.options.nodeOptions,
    );
    const [result] = await this.undisturbed(() =>
      meScenario("bare Apollo (constant me)", `${server.origin}/graphql`, this.options, tokens, this.hooks(server.pid)),
    );
    const report = { startupSeconds, ...server.memory(), logLines: server.logLines(), logFile: server.logFile };
    await this.stop(server);
    return { result, server: report };
  }

  /**
   * Starts Apollo's standalone server (the ceiling) and measures it once. It keeps running (idle) so
   * that each database run can measure it again, alternating with its `me`.
   */
  async standaloneCeiling(): Promise<{ result: ScenarioResult; server: ServerReport }> {
    log("ceiling: Apollo's standalone server answering { hello }");
    const { server, startupSeconds } = await this.start(
      "standalone-apollo",
      path.join(__dirname, "standalone-apollo.js"),
      { NODE_ENV: "production" },
      this.options.nodeOptions,
      async (origin) =>
        (await fetch(`${origin}/`, { method: "POST", headers: { "content-type": "application/json" }, body: gql("{ hello }") })).ok,
    );
    this.ceiling = server;
    const [result] = await this.undisturbed(() =>
      runCannon(helloSpec("Apollo standalone { hello } (ceiling)", server.origin, this.options, this.hooks(server.pid))),
    );
    return { result, server: { startupSeconds, ...server.memory(), logLines: server.logLines(), logFile: server.logFile } };
  }

  /**
   * `me` and the ceiling measured in alternating slices of one stretch of time: this machine's speed
   * swings by up to 2× from one second to the next and drifts over minutes (one baseline read 2 257
   * and 3 106 req/s measured right before and right after one `me`), which would decide a ratio of
   * two measurements taken one after the other.
   */
  async meAlternatingWithCeiling(server: ServerProcess, tokens: string[], authCacheSeconds: number): Promise<ScenarioResult[]> {
    const ceiling = this.ceiling!;
    await this.quiet([server.pid, ceiling.pid]);
    // Short warm-ups and 8 slices (see ALTERNATING_SLICES): every `me` slice must end within the
    // authentication cache's 30 s after the pass that sends each token once, as in the continuous `me`,
    // or it would count the wave of misses when the entries expire (notes.secondsFromWarmUp says).
    const sliced = { ...this.options, warmup: 1, duration: (ALTERNATING_SLICES * this.options.duration) / 10 };
    const me = meSpec(
      "me (session token), alternating with the ceiling",
      `${server.origin}/graphql`,
      sliced,
      tokens,
      this.hooks(server.pid, false),
    );
    const hello = helloSpec(
      "Apollo standalone { hello } (ceiling), alternating with me",
      ceiling.origin,
      sliced,
      this.hooks(ceiling.pid, false),
    );
    const [meResult, helloResult] = await runAlternating(cannonSliceable(me), cannonSliceable(hello), ALTERNATING_SLICES);
    return [{ ...meResult, notes: { ...meResult.notes, authCacheSeconds } }, helloResult];
  }

  /** The account center's page query on the rich accounts and `me`, in alternating slices on one server. */
  async pageAlternatingWithMe(
    server: ServerProcess,
    meTokens: string[],
    richTokens: string[],
    authCacheSeconds: number,
  ): Promise<ScenarioResult[]> {
    await this.quiet([server.pid]);
    const sliced = { ...this.options, warmup: 1, duration: (ALTERNATING_SLICES * this.options.duration) / 10 };
    const url = `${server.origin}/graphql`;
    const me = meSpec("me (session token), alternating with the page", url, sliced, meTokens, this.hooks(server.pid, false));
    const page = pageSpec(PAGES.page, url, sliced, richTokens, this.hooks(server.pid, false), ", alternating with me");
    const [meResult, pageResult] = await runAlternating(cannonSliceable(me), cannonSliceable(page), ALTERNATING_SLICES);
    return [{ ...meResult, notes: { ...meResult.notes, authCacheSeconds } }, pageResult];
  }

  /**
   * `me` at every active token on `server` while a second server process on the same database and
   * Redis (BCRYPT_COST 4: cost 12 cannot sign in 10 a second on two cores beside the measurement;
   * the accounts it signs in to were given cost-4 hashes, so nothing is rehashed) signs in and writes
   * at a steady rate; reports the authentication cache's hits on `server` over the measured seconds.
   */
  async mixed(server: ServerProcess, env: Record<string, string>, tokens: string[], accounts: MixedAccount[]): Promise<ScenarioResult> {
    const writer = (
      await this.start(
        "writer",
        path.resolve(__dirname, "../src/main.js"),
        { ...env, BCRYPT_COST: String(MIXED_BCRYPT_COST) },
        this.options.nodeOptions,
      )
    ).server;
    try {
      const base = this.hooks(server.pid);
      let before: CacheLookups | undefined;
      let writes: ReturnType<typeof steadyWrites> | undefined;
      let counts: SteadyWriteCounts | undefined;
      const hooks: MeasureHooks = {
        before: async () => {
          await base.before();
          before = await cacheLookups(server.origin);
          writes = steadyWrites(writer.origin, server.origin, accounts, BENCH_PASSWORD, this.options.mixedRate);
        },
        after: () => {
          counts = writes?.stop();
          return base.after();
        },
      };
      const result = await runCannon(
        meSpec(`me (session token) while another process writes`, `${server.origin}/graphql`, this.options, tokens, hooks),
      );
      const after = await cacheLookups(server.origin);
      await writes?.settle();
      const hits = after.hit - before!.hit;
      const misses = after.miss - before!.miss;
      return {
        ...result,
        notes: {
          ...result.notes,
          cacheHits: hits,
          cacheMisses: misses,
          cacheHitRatio: ratio(hits, hits + misses),
          writes: counts,
          writerRate: this.options.mixedRate,
        },
      };
    } finally {
      await this.stop(writer);
    }
  }

  /**
   * The built server spawned on a fresh database (no tables yet), timed from the spawn to its first
   * answer (GET /healthz, polled every 10 ms), `times` times, each on a new database.
   */
  async startupOnFreshDatabase(dialect: Dialect, label: string, times: number): Promise<StartupTry[]> {
    const tries: StartupTry[] = [];
    for (let k = 0; k < times; k++) {
      const { config } = await this.freshDatabase(dialect, `${label}_startup${k}`, false);
      await this.quiet([]);
      const { server, startupSeconds } = await this.start(
        `startup-${label}-${k}`,
        path.resolve(__dirname, "../src/main.js"),
        serverEnv(this.options, config, this.smtp, this.dataKey, `bench-startup-${randomBytes(4).toString("hex")}`),
        this.options.nodeOptions,
        async (origin) => (await fetch(`${origin}/healthz`)).ok,
      );
      // Its CPU time so far says what start-up costs on a machine too busy for the wall clock to.
      tries.push({ seconds: startupSeconds, cpuSeconds: processCpuSeconds(server.pid) });
      await this.stop(server);
    }
    return tries;
  }

  /** Login and raw bcrypt the same way, in slices of half the duration, twice the duration each. */
  async loginAlternatingWithBcrypt(server: ServerProcess, accounts: number): Promise<ScenarioResult[]> {
    await this.quiet([server.pid]);
    const { options } = this;
    const login = loginSpec(
      `${server.origin}/graphql`,
      options,
      accounts,
      this.hooks(server.pid, false),
      `login (bcrypt cost ${options.bcryptCost}), alternating with raw bcrypt`,
    );
    const baseline = rawBcrypt(
      `raw bcrypt.compare (cost ${options.bcryptCost}), alternating with login`,
      BENCH_PASSWORD,
      this.passwordHash,
      options.loginConnections,
      2 * options.duration,
      this.hooks(undefined, false),
    );
    return runAlternating(cannonSliceable({ ...login, durationSeconds: 2 * options.duration }, true), baseline, 4);
  }

  /** A fresh database of this dialect with migrations run, and the DatabaseConfig to give the server. */
  async freshDatabase(dialect: Dialect, label: string, migrate = true): Promise<{ config: DatabaseConfig; dataSource: DataSource }> {
    let config: DatabaseConfig;
    if (dialect === "sqlite") {
      config = { kind: "sqlite", file: path.join(this.tmp, `${label}.sqlite`) };
    } else {
      const schema = `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, "_");
      const client = new Client({ connectionString: this.options.postgresUrl });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      this.schemas.push(schema);
      config = loadConfig({ DATABASE_URL: this.options.postgresUrl, DATABASE_SCHEMA: schema }).database;
    }
    const dataSource = createDataSource(config);
    if (!migrate) return { config, dataSource };
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "all" });
    return { config, dataSource };
  }

  async dropSchemas(): Promise<void> {
    if (this.schemas.length === 0) return;
    const client = new Client({ connectionString: this.options.postgresUrl });
    await client.connect();
    try {
      for (const schema of this.schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  }

  async seedDatabase(dialect: Dialect, label: string, accounts: number, withWritePool: boolean) {
    const { config, dataSource } = await this.freshDatabase(dialect, label);
    log(
      `${dialect}: seeding ${accounts.toLocaleString("en-US")} accounts (one session each, bcrypt hash made once at cost ${this.options.bcryptCost})`,
    );
    const seeded = await seed(dataSource, {
      dialect,
      accounts,
      passwordHash: this.passwordHash,
      meTokens: 10_000,
      apiKeys: 1_000,
      keepAllTokens: withWritePool,
      richAccounts: withWritePool ? this.options.richAccounts : 0,
      log,
    });
    log(`${dialect}: seeded in ${seeded.seconds} s (${seeded.accountsPerSecond.toLocaleString("en-US")} accounts/s)`);
    let mixedAccounts: MixedAccount[] = [];
    if (withWritePool) {
      const serverConfig = loadConfig(serverEnv(this.options, config, this.smtp, this.dataKey, "bench"));
      const cipher = new DataCipher(
        { id: serverConfig.dataEncryptionKeyId, key: serverConfig.dataEncryptionKey! },
        serverConfig.previousDataEncryptionKeys,
      );
      await seedRichAccounts(dataSource, seeded.rich.accountIds, cipher);
      log(
        `${dialect}: gave ${seeded.rich.accountIds.length} accounts contacts, identities, TOTP, a real-name check, sessions, keys and a security log`,
      );
      // The mixed scenario's accounts: after the rich ones, far below those the write path binds.
      const first = seeded.rich.accountIds.length;
      const indexes = Array.from({ length: Math.min(MIXED_ACCOUNTS, accounts - first) }, (_unused, k) => first + k);
      mixedAccounts = indexes.map((index) => ({ username: username(index), token: seeded.allTokens[index] }));
      const lowCostHash = await new PasswordHasher(MIXED_BCRYPT_COST).hash(BENCH_PASSWORD);
      await dataSource
        .getRepository(AccountEntity)
        .update({ username: In(mixedAccounts.map((account) => account.username)) }, { passwordHash: lowCostHash });
    }
    return { config, dataSource, seeded, mixedAccounts };
  }

  /** Seeds, starts the real server, runs `scenarios`, reads its peak RSS, stops it. */
  async databaseRun(dialect: Dialect, label: string, accounts: number, full: boolean): Promise<DatabaseRun> {
    const { config, dataSource, seeded, mixedAccounts } = await this.seedDatabase(dialect, label, accounts, full);
    try {
      const env = serverEnv(this.options, config, this.smtp, this.dataKey, `bench-${label}-${randomBytes(4).toString("hex")}`);
      const { server, startupSeconds } = await this.start(
        `server-${label}`,
        path.resolve(__dirname, "../src/main.js"),
        env,
        this.options.nodeOptions,
      );
      const url = `${server.origin}/graphql`;
      const scenarios: ScenarioResult[] = [];
      const memoryTimeline: DatabaseRun["memoryTimeline"] = [{ after: "start-up", ...server.memory() }];
      const step = async (name: string, run: () => Promise<ScenarioResult | ScenarioResult[]>) => {
        log(`${dialect} (${accounts.toLocaleString("en-US")} accounts): ${name}`);
        const results = await this.undisturbed(run);
        scenarios.push(...results);
        memoryTimeline.push({ after: results.map((result) => result.name).join(" and "), ...server.memory() });
      };
      const { authCacheSeconds } = loadConfig(env);
      const sessionIds = [...seeded.meSessionIds, ...seeded.rich.sessionIds];
      // freshen writes behind the server's back: rows it cached for these tokens before (in a step or
      // an attempt before) still say when they were last seen then, and once that is a minute ago each
      // request would touch its session or key. So tokens used before wait until those rows expired.
      const used = new Set<string[]>();
      // The write path's step-ups renew their sessions' tokens: the measured tokens are replaced as the
      // SPAs holding them would replace them, so later stages send live ones.
      // Tokens a cut-off flow may have renewed are left out.
      const tokenIndex = new Map(seeded.meTokens.map((token, index) => [token, index]));
      const renewed = (old: string, token: string | null) => {
        const index = tokenIndex.get(old);
        if (index === undefined) return;
        tokenIndex.delete(old);
        if (token) {
          seeded.meTokens[index] = token;
          tokenIndex.set(token, index);
        } else {
          seeded.meTokens.splice(index, 1);
          seeded.meTokens.forEach((each, at) => tokenIndex.set(each, at));
        }
      };
      const freshenFor = async (tokens: string[]) => {
        await freshen(dataSource, dialect, sessionIds, seeded.apiKeyIds);
        if (used.has(tokens)) await new Promise((resolve) => setTimeout(resolve, authCacheSeconds * 1000));
        used.add(tokens);
      };
      // The scale run measures `me` and login only; the main run what --only selects.
      const wants = (stage: Stage) => (full ? this.options.only.includes(stage) : stage === "me" || stage === "login");
      try {
        if (wants("ceiling")) {
          await step("me and the ceiling, alternating", async () => {
            await freshenFor(seeded.meTokens);
            return this.meAlternatingWithCeiling(server, seeded.meTokens, authCacheSeconds);
          });
        }
        if (wants("me")) {
          await step("me with session tokens", async () => {
            await freshenFor(seeded.meTokens);
            return meScenario("me (session token)", url, this.options, seeded.meTokens, this.hooks(server.pid));
          });
        }
        if (wants("page")) {
          await step("the account center's page and me, alternating", async () => {
            await freshenFor(seeded.meTokens);
            return this.pageAlternatingWithMe(server, seeded.meTokens, seeded.rich.tokens, authCacheSeconds);
          });
        }
        if (wants("pages")) {
          for (const page of [PAGES.sessions, PAGES.apiKeys, PAGES.securityLog]) {
            await step(page.name, async () => {
              await freshenFor(seeded.rich.tokens);
              return runCannon(pageSpec(page, url, this.options, seeded.rich.tokens, this.hooks(server.pid)));
            });
          }
        }
        if (wants("apikey")) {
          await step("me with API keys", async () => {
            await freshenFor(seeded.apiKeySecrets);
            return meScenario("me (API key)", url, this.options, seeded.apiKeySecrets, this.hooks(server.pid));
          });
        }
        if (wants("login")) await step("login", () => loginScenario(url, this.options, accounts, this.hooks(server.pid)));
        if (full && wants("login"))
          await step("login and raw bcrypt, alternating", () => this.loginAlternatingWithBcrypt(server, accounts));
        if (wants("write")) {
          // Accounts already bound stay used when the scenario is measured again.
          const pool = { next: seeded.allTokens.length - 1 };
          await step("write path", () =>
            writeScenario(
              url,
              this.options,
              seeded.allTokens,
              pool,
              this.smtp,
              `${label}-${Date.now().toString(36)}`,
              this.hooks(server.pid),
              renewed,
            ),
          );
        }
        if (wants("mixed")) {
          await step("me while another process signs in and writes", async () => {
            await freshenFor(seeded.meTokens);
            return this.mixed(server, env, seeded.meTokens, mixedAccounts);
          });
        }
        const report: ServerReport = { startupSeconds, ...server.memory(), logLines: server.logLines(), logFile: server.logFile };
        const { accounts: seededAccounts, sessions, apiKeys, seconds, accountsPerSecond } = seeded;
        const seedReport = { accounts: seededAccounts, sessions, apiKeys, seconds, accountsPerSecond };
        await this.stop(server);
        let startupOnFreshDatabase: StartupTry[] | undefined;
        if (wants("startup")) {
          log(`${dialect}: start-up on a fresh database, ${STARTUP_TRIES} times`);
          startupOnFreshDatabase = await this.startupOnFreshDatabase(dialect, label, STARTUP_TRIES);
        }
        return { database: dialect, accounts, memoryTimeline, seed: seedReport, scenarios, server: report, startupOnFreshDatabase };
      } finally {
        await this.stop(server);
      }
    } finally {
      await dataSource.destroy();
    }
  }

  /**
   * Runs `measure` against a server that has bench/profile-hook.js preloaded: the profile covers the
   * measured seconds only (after the warm-up), and is kept in bench/results/.
   */
  async profiled(
    scenario: string,
    label: string,
    script: string,
    env: Record<string, string>,
    nodeArgs: string[],
    measure: (server: ServerProcess, hooks: MeasureHooks) => Promise<ScenarioResult>,
  ): Promise<{ database: string; scenario: string; result: ScenarioResult; summary: ProfileSummary; file: string }> {
    const file = path.join(this.tmp, `profile-${label}.cpuprofile`);
    const { server } = await this.start(`profile-${label}`, script, { ...env, BENCH_PROFILE_FILE: file }, [
      ...nodeArgs,
      "-r",
      path.join(__dirname, "profile-hook.js"),
    ]);
    let result: ScenarioResult;
    try {
      const metered = this.hooks(server.pid);
      result = await measure(server, {
        before: async () => {
          await metered.before();
          process.kill(server.pid, "SIGUSR2");
        },
        after: () => {
          process.kill(server.pid, "SIGUSR2");
          return metered.after();
        },
      });
      const deadline = performance.now() + 30_000;
      while (!fs.existsSync(file) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await this.stop(server);
    }
    const written = JSON.parse(fs.readFileSync(file, "utf8")) as { error?: string };
    if (written.error) throw new Error(`the profiler failed: ${written.error}`);
    const kept = path.resolve(
      __dirname,
      "../../bench/results",
      `profile-${scenario}-${label}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`,
    );
    fs.copyFileSync(file, kept);
    return { database: label, scenario, result, summary: summarizeProfile(file, 25), file: kept };
  }

  /** One more `me` run, or account center page run (on the rich accounts), on a fresh database, profiled. */
  async profileScenario(dialect: Dialect, scenario: "me" | "page"): ReturnType<Bench["profiled"]> {
    const label = `profile_${scenario}_${dialect}`;
    const { config, dataSource, seeded } = await this.seedDatabase(dialect, label, this.options.accounts, scenario === "page");
    try {
      return await this.profiled(
        scenario,
        dialect,
        path.resolve(__dirname, "../src/main.js"),
        serverEnv(this.options, config, this.smtp, this.dataKey, `bench-profile-${randomBytes(4).toString("hex")}`),
        this.options.nodeOptions,
        async (server, hooks) => {
          log(`${dialect}: profile of ${scenario === "me" ? "me with session tokens" : "the account center's page"}`);
          await freshen(dataSource, dialect, [...seeded.meSessionIds, ...seeded.rich.sessionIds], seeded.apiKeyIds);
          const url = `${server.origin}/graphql`;
          return scenario === "me"
            ? meScenario("me (session token, profiled)", url, this.options, seeded.meTokens, hooks)
            : runCannon(pageSpec(PAGES.page, url, this.options, seeded.rich.tokens, hooks, " (profiled)"));
        },
      );
    } finally {
      await dataSource.destroy();
    }
  }

  /** The bare baseline, profiled the same way, to compare with `me` function by function. */
  profileBare(tokens: string[]): ReturnType<Bench["profiled"]> {
    return this.profiled(
      "me",
      "bare",
      path.join(__dirname, "bare-apollo.js"),
      { NODE_ENV: "production" },
      this.options.nodeOptions,
      (server, hooks) => {
        log("profile of the bare Apollo baseline");
        return meScenario("bare Apollo (constant me, profiled)", `${server.origin}/graphql`, this.options, tokens, hooks);
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly target: string;
  readonly met: boolean | null;
  readonly detail: string;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

function targetsFor(runs: DatabaseRun[], bcrypt: ScenarioResult | undefined, scale: DatabaseRun[]): Target[] {
  const targets: Target[] = [];
  const find = (run: DatabaseRun, name: string) => run.scenarios.find((s) => s.name === name);
  /** The scenario measured on its own (not in alternating slices) whose name starts so. */
  const continuous = (run: DatabaseRun, prefix: string) =>
    run.scenarios.find((s) => s.name.startsWith(prefix) && !s.name.includes("alternating"));
  for (const run of runs) {
    const login = continuous(run, "login");
    const alternated = (a: string, b: string) => {
      const pair = [find(run, a), find(run, b)];
      return pair[0] && pair[1] ? (pair as [ScenarioResult, ScenarioResult]) : undefined;
    };
    const slicesDetail = ([a, b]: [ScenarioResult, ScenarioResult]) => {
      // Either side may be the `me` whose slices must end within the cache's TTL (see meAlternatingWithCeiling).
      const fromWarmUp = [a, b].map((side) => side.notes?.secondsFromWarmUp).find((seconds) => typeof seconds === "number");
      return (
        `${a.rps} / ${b.rps} per s, measured in alternating slices (${JSON.stringify(a.notes?.sliceRps)} and ${JSON.stringify(b.notes?.sliceRps)}; ` +
        `the last me slice ended ${fromWarmUp ?? "?"} s after its warm-up began)`
      );
    };
    const meAndCeiling = alternated(
      "me (session token), alternating with the ceiling",
      "Apollo standalone { hello } (ceiling), alternating with me",
    );
    if (meAndCeiling) {
      const value = ratio(meAndCeiling[0].rps, meAndCeiling[1].rps);
      const { secondsFromWarmUp, authCacheSeconds } = meAndCeiling[0].notes as { secondsFromWarmUp: number; authCacheSeconds: number };
      // Slices past the cache's TTL counted the misses of the entries expiring: no verdict then.
      const judged = authCacheSeconds === 0 || secondsFromWarmUp <= authCacheSeconds;
      targets.push({
        name: `${run.database}: me / Apollo standalone ceiling (req/s)`,
        value,
        unit: "",
        target: ">= 0.50",
        met: judged ? value >= 0.5 : null,
        detail: `${judged ? "" : `not judged, the last me slice ended after the cache's ${authCacheSeconds} s (a slower machine: lower --duration); `}${slicesDetail(meAndCeiling)}`,
      });
    }
    const pageAndMe = alternated(`${PAGES.page.name}, alternating with me`, "me (session token), alternating with the page");
    if (pageAndMe) {
      const value = ratio(pageAndMe[0].rps, pageAndMe[1].rps);
      targets.push({
        name: `${run.database}: account center page / me (req/s)`,
        value,
        unit: "",
        target: ">= 0.70",
        met: value >= 0.7,
        detail: slicesDetail(pageAndMe),
      });
    }
    const mixed = continuous(run, "me (session token) while another process writes");
    if (mixed) {
      const notes = mixed.notes as { cacheHitRatio: number; cacheHits: number; cacheMisses: number; writes?: SteadyWriteCounts };
      targets.push({
        name: `${run.database}: auth-cache hits for me while another process signs in and writes`,
        value: notes.cacheHitRatio,
        unit: "",
        target: ">= 0.95",
        met: notes.cacheHitRatio >= 0.95,
        detail: `${notes.cacheHits} hits, ${notes.cacheMisses} misses at ${mixed.rps} req/s; the writer did ${JSON.stringify(notes.writes?.done)} in ${notes.writes?.seconds} s (failed ${JSON.stringify(notes.writes?.failed)})`,
      });
    }
    if (run.startupOnFreshDatabase?.length) {
      const worst = Math.max(...run.startupOnFreshDatabase.map((each) => each.seconds));
      targets.push({
        name: `${run.database}: first answer after spawning the built server on a fresh database`,
        value: worst,
        unit: "s",
        target: "<= 1.5 s",
        met: worst <= 1.5,
        detail: `slowest of ${run.startupOnFreshDatabase.map((each) => `${each.seconds} s (${each.cpuSeconds} s of its CPU)`).join(", ")}`,
      });
    }
    const loginAndBcrypt = alternated(`${login?.name}, alternating with raw bcrypt`, `${bcrypt?.name}, alternating with login`);
    if (loginAndBcrypt) {
      const value = ratio(loginAndBcrypt[0].rps, loginAndBcrypt[1].rps);
      targets.push({
        name: `${run.database}: login / raw bcrypt (per s)`,
        value,
        unit: "",
        target: ">= 0.90",
        met: value >= 0.9,
        detail: slicesDetail(loginAndBcrypt),
      });
    } else if (login && bcrypt) {
      const value = ratio(login.rps, bcrypt.rps);
      targets.push({
        name: `${run.database}: login / raw bcrypt (per s)`,
        value,
        unit: "",
        target: ">= 0.90",
        met: value >= 0.9,
        detail: `${login.rps} / ${bcrypt.rps} per s; raw bcrypt: the first baseline, measured minutes apart`,
      });
    }
    const rss = run.server.peakRssMb;
    targets.push({
      name: `${run.database}: server peak RSS (VmHWM) at ${run.accounts.toLocaleString("en-US")} accounts`,
      value: rss,
      unit: "MB",
      target: "< 200 MB at 10k accounts",
      met: rss === null ? null : rss < 200,
      detail: `VmRSS at the end ${run.server.rssMb} MB`,
    });
  }
  for (const big of scale) {
    const small = runs.find((run) => run.database === big.database);
    if (!small) continue;
    for (const name of ["me (session token)", "login"]) {
      const a = continuous(small, name);
      const b = continuous(big, name);
      if (!a || !b) continue;
      const value = ratio(b.latencyMs.p99, a.latencyMs.p99);
      targets.push({
        name: `${big.database}: ${name.replace(" (session token)", "")} p99 at ${big.accounts.toLocaleString("en-US")} / at ${small.accounts.toLocaleString("en-US")} accounts`,
        value,
        unit: "x",
        target: "<= 1.2",
        met: value <= 1.2,
        detail: `${b.latencyMs.p99} ms / ${a.latencyMs.p99} ms`,
      });
    }
  }
  return targets;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_cell, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column <= 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
      return index === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

function resultRows(label: string, results: ScenarioResult[]): string[][] {
  return results.map((r) => [
    label,
    r.name,
    String(r.connections),
    r.rps.toFixed(r.rps < 100 ? 2 : 0),
    String(r.latencyMs.p50),
    String(r.latencyMs.p99),
    String(r.errors),
    r.cpu && r.rps > 0 ? (((r.name.startsWith("raw") ? r.cpu.client : r.cpu.server) / r.rps) * 1000).toFixed(2) : "",
    r.cpu ? [r.cpu.server, r.cpu.client, r.cpu.postgres, r.cpu.other].map((n) => n.toFixed(2)).join("/") : "",
  ]);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const info = machine();
  log(`machine: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryMb} MB, node ${info.node}`);
  log(`options: ${JSON.stringify(options)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "account-bench-"));
  const resultsDir = path.resolve(__dirname, "../../bench/results");
  fs.mkdirSync(resultsDir, { recursive: true });
  const smtp = await startSmtpSink();
  const t0 = performance.now();
  const passwordHash = await new PasswordHasher(options.bcryptCost).hash(BENCH_PASSWORD);
  log(`hashed the seed password once at cost ${options.bcryptCost} in ${Math.round(performance.now() - t0)} ms`);
  const bench = new Bench(options, tmp, smtp, passwordHash);

  const onSignal = () => {
    void bench.stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => bench.killAll());
  // An error thrown outside the awaited work (an emitter without a listener) still ends in the clean-up below.
  const fatal = new Promise<never>((_resolve, reject) => {
    process.once("uncaughtException", reject);
    process.once("unhandledRejection", reject);
  });

  try {
    await Promise.race([fatal, measure(options, bench, passwordHash, startedAt, info, resultsDir)]);
  } finally {
    await bench.stopAll();
    await smtp.stop();
    if (options.keep) {
      log(`kept ${tmp}`);
    } else {
      await bench.dropSchemas().catch((error: unknown) => console.error("could not drop the bench schemas:", error));
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

async function measure(
  options: Options,
  bench: Bench,
  passwordHash: string,
  startedAt: Date,
  info: ReturnType<typeof machine>,
  resultsDir: string,
): Promise<void> {
  const file = path.join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const runs: DatabaseRun[] = [];
  const scale: DatabaseRun[] = [];
  const profiles: Array<Awaited<ReturnType<Bench["profileScenario"]>>> = [];
  const { only } = options;
  const failures: Array<{ stage: string; error: string }> = [];

  // The baselines and the SQLite run are required; everything after them is recorded as failed and
  // skipped when it fails (a shared PostgreSQL may be restarted under us), and the results file is
  // rewritten after every stage, so a late failure loses nothing measured before it.
  // Synthetic tokens of the real format: the bare server only checks that one is there.
  const fakeTokens = Array.from({ length: 10_000 }, () => `ses_${randomBytes(32).toString("base64url")}`);
  const ceiling = only.includes("ceiling") ? await bench.standaloneCeiling() : undefined;
  const bare = only.includes("bare") ? await bench.bareApollo(fakeTokens) : undefined;
  let bcrypt: ScenarioResult | undefined;
  if (only.includes("login")) {
    log(`baseline: raw bcrypt.compare, cost ${options.bcryptCost}, ${options.loginConnections} in parallel`);
    [bcrypt] = await bench.undisturbed(() =>
      runRawBcrypt(
        `raw bcrypt.compare (cost ${options.bcryptCost})`,
        BENCH_PASSWORD,
        passwordHash,
        options.loginConnections,
        options.duration,
        bench.hooks(),
      ),
    );
  }
  const baselines = [ceiling?.result, bare?.result, bcrypt].filter((result) => result !== undefined);
  const save = () => {
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: info,
      options,
      baselines: {
        standaloneCeiling: ceiling && { ...ceiling.result, server: ceiling.server },
        bareApollo: bare && { ...bare.result, server: bare.server },
        rawBcrypt: bcrypt,
      },
      runs,
      scale,
      targets: targetsFor(runs, bcrypt, scale),
      profiles,
      failures,
    };
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  };
  const optional = async (stage: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${stage} FAILED, skipped: ${message.split("\n")[0]}`);
      failures.push({ stage, error: message });
    }
    save();
  };

  /** A write path that answered errors measured something other than what users do: a failure, listed with the others. */
  const measured = (run: DatabaseRun) => {
    runs.push(run);
    const write = run.scenarios.find((scenario) => scenario.name.startsWith("write"));
    if (write?.errors) {
      const first = write.notes?.firstError;
      const firstError = typeof first === "string" ? `; the first: ${first}` : "";
      failures.push({
        stage: `${run.database} write path`,
        error: `${write.errors} errors ${JSON.stringify(write.errorDetail)}${firstError}`,
      });
    }
  };
  measured(await bench.databaseRun("sqlite", "sqlite", options.accounts, true));
  save();
  if (options.postgres) await optional("postgres", async () => measured(await bench.databaseRun("postgres", "pg", options.accounts, true)));
  if (options.scale) {
    await optional(
      "sqlite scale",
      async () => void scale.push(await bench.databaseRun("sqlite", "sqlite_scale", options.scaleAccounts, false)),
    );
    if (options.postgres) {
      await optional(
        "postgres scale",
        async () => void scale.push(await bench.databaseRun("postgres", "pg_scale", options.scaleAccounts, false)),
      );
    }
  }
  if (options.profile) {
    if (only.includes("bare")) await optional("bare profile", async () => void profiles.push(await bench.profileBare(fakeTokens)));
    for (const scenario of (["me", "page"] as const).filter((stage) => only.includes(stage))) {
      for (const dialect of options.postgres ? (["sqlite", "postgres"] as const) : (["sqlite"] as const)) {
        await optional(`${dialect} ${scenario} profile`, async () => void profiles.push(await bench.profileScenario(dialect, scenario)));
      }
    }
  }
  save();

  const targets = targetsFor(runs, bcrypt, scale);
  const rows: string[][] = [
    ["database", "scenario", "conns", "req/s", "p50 ms", "p99 ms", "errors", "srv CPU ms/req", "CPU srv/cli/pg/other"],
  ];
  rows.push(...resultRows("-", baselines));
  for (const run of runs) rows.push(...resultRows(`${run.database} ${run.accounts / 1000}k`, run.scenarios));
  for (const run of scale)
    rows.push(
      ...resultRows(`${run.database} ${run.accounts >= 1e6 ? `${run.accounts / 1e6}M` : `${run.accounts / 1000}k`}`, run.scenarios),
    );

  console.log(`\n${table(rows)}\n`);
  for (const run of [...runs, ...scale]) {
    const write = run.scenarios.find((s) => s.name.startsWith("write"));
    console.log(
      `${run.database} ${run.accounts.toLocaleString("en-US")}: seeded in ${run.seed.seconds} s; ${run.server.logLines} server log lines` +
        (write ? `; write path ${String(write.notes?.flowsPerSecond)} flows/s` : ""),
    );
    console.log(`  server peak RSS (VmHWM) after ${run.memoryTimeline.map((m) => `${m.after}: ${m.peakRssMb} MB`).join(", ")}`);
    if (run.startupOnFreshDatabase)
      console.log(
        `  first answer on a fresh database after ${run.startupOnFreshDatabase.map((each) => `${each.seconds} s (${each.cpuSeconds} s CPU)`).join(", ")}`,
      );
  }
  console.log("\ntargets:");
  for (const target of targets) {
    const verdict = target.met === null ? "n/a" : target.met ? "MET" : "NOT MET";
    console.log(
      `  ${verdict.padEnd(7)}  ${target.name}: ${target.value}${target.unit ? ` ${target.unit}` : ""} (target ${target.target}; ${target.detail})`,
    );
  }
  for (const failure of failures) console.log(`  FAILED   ${failure.stage}: ${failure.error.split("\n")[0]}`);
  const disturbed = [...baselines, ...runs.flatMap((run) => run.scenarios), ...scale.flatMap((run) => run.scenarios)]
    .filter((result) => (result.cpu?.other ?? 0) > 0.2)
    .map((result) => `${result.name} (${result.cpu?.other})`);
  if (disturbed.length) {
    console.log(
      `\nwarning: other processes on this machine used more than 0.2 CPU during ${disturbed.length} measurement(s): ${disturbed.join(", ")}.` +
        " Those numbers are pessimistic; rerun on a quiet machine (or raise --quiet-wait).",
    );
  }
  for (const profile of profiles) {
    console.log(
      `\n${profile.database}: profile of the server during \`${profile.scenario}\` (${profile.result.rps} req/s under the profiler; ${path.relative(process.cwd(), profile.file)}):`,
    );
    console.log(formatProfile(profile.summary, 15));
  }
  console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
