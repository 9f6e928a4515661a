import path from "node:path";
import { bool, int, oneOf, rateLimit, setting, settingsGroup, text } from "./core/env-settings";

/**
 * The platform's own settings, by concern; each vendor's sit beside its adapter (src/providers/), and
 * src/config.ts composes them all and checks the rules that span several.
 */

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** Express's "trust proxy" values: true/false, a hop count, or addresses and subnets. */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined) return false;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export const serverSettings = settingsGroup("Server", {
  NODE_ENV: oneOf(["development", "production", "test"], "development", {
    description: "`development`, `production` or `test`; production refuses development stand-ins and requires a data key",
  }),
  HOST: text("127.0.0.1", { description: "the address the server listens on" }),
  PORT: int(0, 65535, 4000, { description: "the port the server listens on" }),
  PUBLIC_ORIGIN: text(undefined, {
    description:
      "the origin clients use (`https://id.example.com`): OAuth `redirectUri`s and real-name `returnUrl`s must be on it or " +
      "on one of `REDIRECT_ORIGINS`. **Required behind a load balancer**, the same on every process",
    default: "`http://HOST:PORT`",
  }),
  REDIRECT_ORIGINS: setting(
    (raw, report) =>
      (raw === undefined ? [] : raw.split(","))
        .map((origin) => origin.trim().replace(/\/+$/, ""))
        .filter((origin) => {
          const valid = /^https?:\/\/[^/?#]+$/.test(origin);
          if (!valid) report(`entries must be origins like https://console.example.com (got "${origin}")`);
          return valid;
        }),
    {
      description:
        "other origins (comma-separated) that OAuth `redirectUri`s and real-name `returnUrl`s may point to; anything else is " +
        "refused, so the API is never an open redirect",
      default: "none",
    },
  ),
  TRUST_PROXY: setting(trustProxy, {
    description:
      "which peers may tell the client's address in `X-Forwarded-For`, with Express's `trust proxy` meaning: `true`, a hop " +
      "count, or addresses/subnets of your proxies (comma-separated). Only set it behind a proxy that overwrites " +
      "`X-Forwarded-For`, or clients choose their own IP",
    default: "`false`",
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, undefined, { description: "pino level (`silent` to turn off)", default: "`info` (`warn` in test)" }),
  WEB_APP_DIR: text("web/dist", {
    description: "the built account center, served at `/` (the API alone while it has no `index.html`)",
  }),
  SWEEP_INTERVAL_SECONDS: int(1, 86400, 600, {
    description: "how often each process deletes expired or used OAuth states and verification codes (expiry by the server's clock)",
  }),
  AUTH_CACHE_SECONDS: int(0, 300, 30, {
    description:
      "how long a process may answer from memory who a token belongs to (the session or key and its account), and the " +
      "rows the account center's page shows of an account (contacts, identities, authenticator, recovery codes left, " +
      "real-name check), instead of queries per request. A write drops the rows it touches (a session's or key's own row, " +
      "every row of an account written to; a write by criteria that does not name its rows drops every row of its table) " +
      "in this process, and with `REDIS_URL` in every other process; several processes without Redis serve a token signed " +
      "out elsewhere, or a page as it was, for up to this long. Checks before a change always read the database. `0` turns it off",
  }),
}).transform((values) => ({
  nodeEnv: values.NODE_ENV,
  host: values.HOST,
  port: values.PORT,
  /** Unset: this process's own `http://HOST:PORT` (config.ts). */
  publicOrigin: values.PUBLIC_ORIGIN,
  /** Origins (besides PUBLIC_ORIGIN) that OAuth redirectUris and returnUrls may point to. */
  redirectOrigins: values.REDIRECT_ORIGINS,
  /** With Express's "trust proxy" meaning (src/server.ts hands it to Fastify): false, true, a hop count or a list of addresses/subnets. */
  trustProxy: values.TRUST_PROXY,
  logLevel: values.LOG_LEVEL,
  /** The built account center, served at `/` when its index.html is there. */
  webAppDir: path.resolve(values.WEB_APP_DIR),
  /** How often expired and used OAuth states and challenges are deleted. */
  sweepIntervalSeconds: values.SWEEP_INTERVAL_SECONDS,
  /** How long an authenticated token's rows may be served from memory (0: never); any write to them empties it. */
  authCacheSeconds: values.AUTH_CACHE_SECONDS,
}));

export const httpSettings = settingsGroup("HTTP", {
  CORS_ORIGINS: setting(
    (raw = "*", report): "*" | string[] => {
      if (raw.trim() === "*") return "*";
      // A browser sends its Origin without a path or a trailing slash: entries must be exact.
      return raw
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => {
          const valid = /^https?:\/\/[^/?#*\s]+$/.test(origin);
          if (!valid) report(`must be * or origins like https://console.example.com, comma-separated (got "${origin}")`);
          return valid;
        });
    },
    {
      description:
        "origins whose pages may call the API: `*`, or a comma list of exact origins " +
        "(`https://console.example.com,http://localhost:5173`); see [Cross-origin clients](api.md#cross-origin-clients)",
      default: "`*`",
    },
  ),
  REQUEST_TIMEOUT_MS: int(100, 300000, 15000, {
    description: "longest a GraphQL request may take; past it `SERVICE_UNAVAILABLE` (HTTP 503)",
  }),
  SHUTDOWN_GRACE_SECONDS: int(1, 3600, 20, {
    description:
      "after `SIGTERM`, how long requests in flight may take before the process exits anyway ([Drain](operations.md#drain)); " +
      "longer than the request deadline by default, so a drain never cuts a request that is still within it",
  }),
  SHUTDOWN_DELAY_SECONDS: int(0, 300, 0, {
    description:
      "after `SIGTERM`, how long the process goes on accepting and answering, with `/readyz` at 503, before it stops " +
      "accepting ([Drain](operations.md#drain)): at least the time your load balancer takes to see `/readyz` fail",
  }),
  METRICS_TOKEN: text(
    undefined,
    {
      description:
        "serve `/metrics` to `Authorization: Bearer <token>` (16-256 printable characters without spaces, e.g. " +
        "`openssl rand -hex 32`); unset: no `/metrics`",
    },
    {
      test: (raw) => /^[\x21-\x7e]{16,256}$/.test(raw),
      message: () => "must be 16-256 printable characters without spaces (e.g. `openssl rand -hex 32`)",
    },
  ),
}).transform((values) => ({
  /** Origins whose pages may call the API: any (`*`), or these exact ones. */
  corsOrigins: values.CORS_ORIGINS,
  /** Longest a GraphQL request may take before it is answered SERVICE_UNAVAILABLE. */
  requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
  /** After SIGTERM, how long in-flight requests may take before the process exits anyway. */
  shutdownGraceSeconds: values.SHUTDOWN_GRACE_SECONDS,
  /** After SIGTERM, how long the process still accepts (unready) so load balancers move away first. */
  shutdownDelaySeconds: values.SHUTDOWN_DELAY_SECONDS,
  /** The Bearer token /metrics asks for; unset: no /metrics. */
  metricsToken: values.METRICS_TOKEN,
}));

export const redisSettings = settingsGroup("Redis", {
  REDIS_URL: text(undefined, {
    description:
      "share rate-limit counters between processes, and tell every process when a session, API key or account changed " +
      "(so a sign-out elsewhere acts at once); while Redis is unreachable each process counts alone",
    default: "unset: in-process",
  }),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000, 500, {
    description: "longest wait for one Redis command; past it the process acts as when Redis is down (counts rate limits alone)",
  }),
  REDIS_PREFIX: text(
    "account-platform",
    {
      description:
        "starts this deployment's Redis keys (`<prefix>:rl:...`) and its cache invalidation channel " +
        "(`<prefix>:lookup-cache:clear`). Give each deployment sharing one Redis server its own, and every process of one " +
        "deployment the same: a numbered database in `REDIS_URL` does not separate pub/sub channels",
    },
    { test: (raw) => /^[A-Za-z0-9_.:-]{1,64}$/.test(raw), message: (raw) => `must be 1-64 letters, digits or _ . : - (got "${raw}")` },
  ),
}).transform((values) => ({
  redisUrl: values.REDIS_URL,
  /** Longest wait for one Redis command; past it the in-process fallback answers. */
  redisCommandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
  /**
   * Starts this deployment's Redis keys and its clear channel, so deployments sharing one Redis
   * server keep apart: pub/sub channels span all of its numbered databases.
   */
  redisPrefix: values.REDIS_PREFIX,
}));

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_MESSAGE = "must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)";

/** 32 bytes of canonical base64, or undefined (and a problem). */
function dataKey(raw: string | undefined): Buffer | undefined {
  const key = raw === undefined ? undefined : Buffer.from(raw, "base64");
  return key?.length === 32 && key.toString("base64") === raw ? key : undefined;
}

export const secretsSettings = settingsGroup("Keys and passwords", {
  BCRYPT_COST: int(4, 15, 12, { description: "bcrypt work factor; hashes of another cost are upgraded at the next sign-in" }),
  DATA_ENCRYPTION_KEY: setting(
    (raw, report) => {
      const key = dataKey(raw);
      if (raw !== undefined && !key) report(KEY_MESSAGE);
      return key;
    },
    {
      description:
        "32 bytes in base64 (`openssl rand -base64 32`); keys the code, recovery-code and ID-number HMACs and encrypts TOTP " +
        "secrets, legal names and ID numbers (a separate key is derived for each use). Required in production",
      default: "outside production: generated once and kept in the database (table `dev_data_key`), with a warning",
    },
  ),
  DATA_ENCRYPTION_KEY_ID: text(
    "k1",
    { description: "written beside every ciphertext, so keys can rotate", default: "`k1` (`dev` for the generated key)" },
    { test: (raw) => KEY_ID.test(raw), message: () => "must be 1-32 letters, digits, _ or -" },
  ),
  DATA_ENCRYPTION_PREVIOUS_KEYS: setting(
    (raw, report) =>
      (raw === undefined ? [] : raw.split(",")).flatMap((entry) => {
        const [id = "", base64] = entry.trim().split(/:(.*)/s);
        if (!KEY_ID.test(id)) {
          report("must look like id:base64key,id:base64key");
          return [];
        }
        const key = dataKey(base64);
        if (!key) report(`(${id}) ${KEY_MESSAGE}`);
        return key ? [{ id, key }] : [];
      }),
    { description: "after a rotation, the earlier keys for reading old data: `id:base64key,id:base64key`", default: "none" },
  ),
  TOTP_ISSUER: text(
    "Account Platform",
    { description: "the name authenticator apps show above the account (at most 64 characters, no colon)" },
    { test: (raw) => raw.length <= 64 && !raw.includes(":"), message: () => "must be at most 64 characters, without a colon" },
  ),
}).transform((values) => ({
  bcryptCost: values.BCRYPT_COST,
  /** 32 bytes; keys the code HMACs and encrypts data at rest. Absent outside production means "make one". */
  dataEncryptionKey: values.DATA_ENCRYPTION_KEY,
  /** Written beside each ciphertext, so a rotated key can still decrypt what older keys sealed. */
  dataEncryptionKeyId: values.DATA_ENCRYPTION_KEY_ID,
  /** Earlier keys by id, kept for decryption only after a rotation. */
  previousDataEncryptionKeys: values.DATA_ENCRYPTION_PREVIOUS_KEYS,
  /** The name authenticator apps show above the account name. */
  totpIssuer: values.TOTP_ISSUER,
}));

const DAY = 86400;

export const sessionSettings = settingsGroup("Sessions, codes and step-up", {
  SESSION_IDLE_TIMEOUT_SECONDS: int(60, 365 * DAY, 7 * DAY, {
    description: "a session unused this long ends",
    default: "`604800` (7 days)",
  }),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: int(60, 365 * DAY, 30 * DAY, {
    description: "no session lives longer than this, however used (not shorter than `SESSION_IDLE_TIMEOUT_SECONDS`)",
    default: "`2592000` (30 days)",
  }),
  SESSIONS_MAX_PER_ACCOUNT: int(1, 1000, 100, {
    description:
      "signed-in sessions an account may have at once; a sign-in past it signs out the least recently used ones " +
      "(`SESSION_REVOKED` in the security log), so `Account.sessions` stays bounded",
  }),
  API_KEYS_MAX_PER_ACCOUNT: int(1, 1000, 20, {
    description:
      "API keys an account may have, expired ones included until revoked; `createApiKey` past it answers `BAD_USER_INPUT` " +
      "with the field code `LIMIT_REACHED`",
  }),
  CODE_TTL_SECONDS: int(60, 3600, 600, { description: "life of a verification code" }),
  CODE_MAX_ATTEMPTS: int(1, 20, 5, { description: "wrong tries a verification code allows" }),
  CODE_RESEND_COOLDOWN_SECONDS: int(0, 3600, 60, { description: "wait before another code to the same address" }),
  STEP_UP_TTL_SECONDS: int(30, DAY, 600, { description: "how long a completed step-up lets the session make sensitive changes" }),
  NEW_FACTOR_COOLDOWN_SECONDS: int(0, 30 * DAY, DAY, {
    description:
      "how long a contact, provider account or authenticator added without a step-up (the account had nothing to step up " +
      "with) waits before it serves for step-up, two-step sign-in or password reset",
    default: "`86400` (24 h)",
  }),
}).transform((values) => ({
  session: {
    idleTimeoutSeconds: values.SESSION_IDLE_TIMEOUT_SECONDS,
    absoluteTimeoutSeconds: values.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
    /** Past it, a sign-in signs out the account's least recently used sessions. */
    maxPerAccount: values.SESSIONS_MAX_PER_ACCOUNT,
  },
  /** Keys an account may hold (expired ones count until revoked): bounds Account.apiKeys. */
  apiKeysMaxPerAccount: values.API_KEYS_MAX_PER_ACCOUNT,
  codes: {
    ttlSeconds: values.CODE_TTL_SECONDS,
    maxAttempts: values.CODE_MAX_ATTEMPTS,
    resendCooldownSeconds: values.CODE_RESEND_COOLDOWN_SECONDS,
  },
  /** How long a completed step-up lets this session make sensitive changes. */
  stepUpTtlSeconds: values.STEP_UP_TTL_SECONDS,
  /** How long a factor added without a step-up waits before it serves for step-up, two-step or recovery. */
  newFactorCooldownSeconds: values.NEW_FACTOR_COOLDOWN_SECONDS,
}));

export const rateLimitSettings = settingsGroup(
  "Rate limits",
  {
    RATE_LIMIT_LOGIN_IDENTIFIER: rateLimit(10, 900, { description: "sign-in tries per identifier; the right password clears them" }),
    RATE_LIMIT_LOGIN_IP: rateLimit(50, 900, { description: "sign-in tries per client IP; the right password gives its point back" }),
    RATE_LIMIT_PASSWORD_ACCOUNT: rateLimit(10, 900, {
      description: "current-password checks per account (`changePassword` and the `PASSWORD` step-up share it); the right one clears them",
    }),
    RATE_LIMIT_REGISTER_IP: rateLimit(20, 3600, { description: "sign-ups per client IP" }),
    RATE_LIMIT_CODE_TARGET_HOUR: rateLimit(5, 3600, {
      description: "codes sent to one address per hour for a signed-in purpose (binding, step-up, two-step sign-in)",
    }),
    RATE_LIMIT_CODE_TARGET_DAY: rateLimit(10, DAY, { description: "the same per day" }),
    RATE_LIMIT_CODE_ACCOUNT: rateLimit(20, 3600, { description: "codes requested by one account" }),
    RATE_LIMIT_CODE_IP: rateLimit(30, 3600, {
      description: "codes requested from one IP (every password-reset request spends it, known address or not)",
    }),
    RATE_LIMIT_RESET_CODE_TARGET_HOUR: rateLimit(5, 3600, {
      description:
        "password-reset codes sent to one address per hour: a budget of their own, so anyone asking for resets never uses up " +
        "the owner's sign-in and step-up codes",
    }),
    RATE_LIMIT_RESET_CODE_TARGET_DAY: rateLimit(10, DAY, { description: "the same per day" }),
    RATE_LIMIT_SECOND_FACTOR_ACCOUNT: rateLimit(10, 900, {
      description:
        "wrong authenticator or recovery codes per account, across all challenges (opening a new challenge costs nothing, so " +
        "each challenge's own tries are not enough)",
    }),
    RATE_LIMIT_TAKEN_ACCOUNT: rateLimit(10, 3600, {
      description:
        "look-ups that can answer \"taken\" (`startContactBinding`'s `IDENTITY_TAKEN`, `updateProfile`'s `USERNAME_TAKEN`) per " +
        "account; a free answer gives its point back, and once a budget is spent every such look-up is refused alike",
    }),
    RATE_LIMIT_TAKEN_IP: rateLimit(30, 3600, { description: "the same per client IP" }),
    RATE_LIMIT_PROVIDER_START_ACCOUNT: rateLimit(20, 3600, {
      description: "OAuth round trips started (each writes a state row) by `startProviderBinding`, per account",
    }),
    RATE_LIMIT_PROVIDER_START_IP: rateLimit(30, 900, { description: "the same by `startProviderLogin`, per client IP" }),
    RATE_LIMIT_PERSISTED_QUERY_IP: rateLimit(50, 3600, {
      description:
        "automatic persisted queries a client IP may register (query text sent with its hash, stored in Redis for a day); " +
        "past it the query still runs but its text is not stored",
    }),
    SMS_DAILY_BUDGET: int(0, 100_000_000, 10000, {
      description:
        "SMS the whole deployment may send per UTC day; past it every SMS is refused with `RATE_LIMITED` and an " +
        "`SMS_DAILY_BUDGET_SPENT` alert is logged (SMS pumping costs money)",
    }),
  },
  "Budgets are `POINTS/SECONDS`: at most POINTS in any SECONDS. How they are spent: [Rate limits](security.md#rate-limits).",
).transform((values) => ({
  rateLimits: {
    loginFailuresPerIdentifier: values.RATE_LIMIT_LOGIN_IDENTIFIER,
    loginFailuresPerIp: values.RATE_LIMIT_LOGIN_IP,
    passwordFailuresPerAccount: values.RATE_LIMIT_PASSWORD_ACCOUNT,
    registrationsPerIp: values.RATE_LIMIT_REGISTER_IP,
    codeSendsPerTargetHour: values.RATE_LIMIT_CODE_TARGET_HOUR,
    codeSendsPerTargetDay: values.RATE_LIMIT_CODE_TARGET_DAY,
    codeSendsPerAccount: values.RATE_LIMIT_CODE_ACCOUNT,
    codeSendsPerIp: values.RATE_LIMIT_CODE_IP,
    /** Password-reset codes to one address: a budget apart from the one sign-in and step-up codes use. */
    resetCodeSendsPerTargetHour: values.RATE_LIMIT_RESET_CODE_TARGET_HOUR,
    resetCodeSendsPerTargetDay: values.RATE_LIMIT_RESET_CODE_TARGET_DAY,
    secondFactorFailuresPerAccount: values.RATE_LIMIT_SECOND_FACTOR_ACCOUNT,
    /** Look-ups that can answer "taken" (an address to bind, a username): each tells that somebody holds it. */
    takenAnswersPerAccount: values.RATE_LIMIT_TAKEN_ACCOUNT,
    takenAnswersPerIp: values.RATE_LIMIT_TAKEN_IP,
    /** OAuth round trips started (each writes a state row): bindings per account, sign-ins per IP. */
    providerStartsPerAccount: values.RATE_LIMIT_PROVIDER_START_ACCOUNT,
    providerStartsPerIp: values.RATE_LIMIT_PROVIDER_START_IP,
    /** Persisted-query texts stored per client IP: what bounds the registry besides its TTL. */
    persistedQueryRegistrationsPerIp: values.RATE_LIMIT_PERSISTED_QUERY_IP,
  },
  /** SMS the whole deployment may send per UTC day; past it, SMS sends are refused and an alert is logged. */
  smsDailyBudget: values.SMS_DAILY_BUDGET,
}));

export const graphqlSettings = settingsGroup("GraphQL", {
  GRAPHQL_MAX_DEPTH: int(2, 50, 10, { description: "deepest field nesting an operation may have" }),
  GRAPHQL_MAX_COST: int(10, 100000, 1000, {
    description:
      "most an operation may cost (aliases count): a field 1, a field that reads the database 20 per query, a QR code 200, " +
      "a mutation 100 (`FIELD_COST` in `src/graphql/query-limits.ts`); the account center's page query costs about 300",
  }),
  GRAPHQL_MAX_QUERY_BYTES: int(1024, 100 * 1024, 16384, {
    description:
      "longest query text (UTF-8 bytes) accepted; a longer one is refused with `QUERY_TOO_LARGE` before it is parsed (a " +
      "parsed document takes about 50 times its text in memory)",
  }),
  GRAPHQL_INTROSPECTION: bool(undefined, {
    description: "answer introspection; when off, validation errors also leave out `Did you mean ...?` hints, which would tell field names",
    default: "on outside production",
  }),
  GRAPHQL_SANDBOX: bool(undefined, {
    description: "serve Apollo Sandbox at `/graphql` to browsers, and the offline query page `/graphiql`",
    default: "on outside production",
  }),
}).transform((values) => ({
  maxDepth: values.GRAPHQL_MAX_DEPTH,
  maxCost: values.GRAPHQL_MAX_COST,
  /** Longest query text accepted, checked before parsing. */
  maxQueryBytes: values.GRAPHQL_MAX_QUERY_BYTES,
  /** Unset: on outside production (config.ts). */
  introspection: values.GRAPHQL_INTROSPECTION,
  sandbox: values.GRAPHQL_SANDBOX,
}));
