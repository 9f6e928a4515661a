import path from "node:path";
import { isLoopbackHost } from "./core/loopback";

/**
 * Every setting, read from the environment once at start-up, validated, and frozen.
 * This is the only module that reads process.env; everything else receives a Config.
 */

export type NodeEnv = "development" | "production" | "test";

/** "points per duration": e.g. 10 failures per 900 s. */
export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
}

/** How long PostgreSQL may take before a request gives up on it (SERVICE_UNAVAILABLE), and how many connections a process holds. */
export interface PostgresLimits {
  readonly poolSize: number;
  /** Opening a connection, or waiting for a free one in the pool. */
  readonly connectTimeoutMs: number;
  /** One statement (PostgreSQL's statement_timeout, and the same wait on our side for a server that stopped answering). */
  readonly statementTimeoutMs: number;
  /** A transaction left open without a statement (idle_in_transaction_session_timeout). */
  readonly idleInTransactionTimeoutMs: number;
}

export type DatabaseConfig =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema: string | undefined; readonly limits: PostgresLimits };

export type EmailProviderConfig = { readonly kind: "console" } | { readonly kind: "smtp"; readonly url: string; readonly from: string };

export interface AliyunSmsConfig {
  readonly kind: "aliyun";
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly signName: string;
  readonly templateCode: string;
  /** Optional template with one variable, `event`, for security notices. */
  readonly noticeTemplateCode: string | undefined;
  readonly endpoint: string;
}

export interface TencentSmsConfig {
  readonly kind: "tencent";
  readonly secretId: string;
  readonly secretKey: string;
  readonly sdkAppId: string;
  readonly signName: string;
  readonly templateId: string;
  /** Optional template with one parameter, the event, for security notices. */
  readonly noticeTemplateId: string | undefined;
  readonly region: string;
  readonly endpoint: string;
}

export type SmsProviderConfig = { readonly kind: "console" } | AliyunSmsConfig | TencentSmsConfig;

export interface WechatConfig {
  readonly appId: string;
  readonly appSecret: string;
  /** Where the QR authorize page is: `${openBase}/connect/qrconnect`. */
  readonly openBase: string;
  /** Where `sns/oauth2/access_token` and `sns/userinfo` are. */
  readonly apiBase: string;
}

export interface QqConfig {
  readonly appId: string;
  readonly appKey: string;
  /** `oauth2.0/authorize`, `oauth2.0/token`, `oauth2.0/me`, `user/get_user_info` live here. */
  readonly apiBase: string;
}

export interface AlipayConfig {
  readonly appId: string;
  /** The app's RSA private key (PEM, or the bare base64 the Alipay console shows). */
  readonly privateKey: string;
  /** Alipay's RSA public key, for verifying every response (PEM or bare base64). */
  readonly alipayPublicKey: string;
  /** `.../gateway.do` */
  readonly gateway: string;
  /** `.../oauth2/publicAppAuthorize.htm` */
  readonly authorizeUrl: string;
}

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly publicOrigin: string;
  readonly database: DatabaseConfig;
  readonly bcryptCost: number;
  /** 32 bytes; keys the code HMACs and encrypts data at rest. Absent outside production means "make one". */
  readonly dataEncryptionKey: Buffer | undefined;
  /** Written beside each ciphertext, so a rotated key can still decrypt what older keys sealed. */
  readonly dataEncryptionKeyId: string;
  /** Earlier keys by id, kept for decryption only after a rotation. */
  readonly previousDataEncryptionKeys: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;
  /** The name authenticator apps show above the account name. */
  readonly totpIssuer: string;
  readonly redisUrl: string | undefined;
  /** Longest wait for one Redis command; past it the in-process fallback answers. */
  readonly redisCommandTimeoutMs: number;
  /**
   * Starts this deployment's Redis keys and its clear channel, so deployments sharing one Redis
   * server keep apart: pub/sub channels span all of its numbered databases.
   */
  readonly redisPrefix: string;
  /** With Express's "trust proxy" meaning (src/server.ts hands it to Fastify): false, true, a hop count or a list of addresses/subnets. */
  readonly trustProxy: boolean | number | string;
  readonly logLevel: string;
  readonly session: {
    readonly idleTimeoutSeconds: number;
    readonly absoluteTimeoutSeconds: number;
  };
  readonly rateLimits: {
    readonly loginFailuresPerIdentifier: RateLimit;
    readonly loginFailuresPerIp: RateLimit;
    readonly passwordFailuresPerAccount: RateLimit;
    readonly registrationsPerIp: RateLimit;
    readonly codeSendsPerTargetHour: RateLimit;
    readonly codeSendsPerTargetDay: RateLimit;
    readonly codeSendsPerAccount: RateLimit;
    readonly codeSendsPerIp: RateLimit;
    /** Password-reset codes to one address: a budget apart from the one sign-in and step-up codes use. */
    readonly resetCodeSendsPerTargetHour: RateLimit;
    readonly resetCodeSendsPerTargetDay: RateLimit;
    readonly secondFactorFailuresPerAccount: RateLimit;
    /** Look-ups that can answer "taken" (an address to bind, a username): each tells that somebody holds it. */
    readonly takenAnswersPerAccount: RateLimit;
    readonly takenAnswersPerIp: RateLimit;
    /** OAuth round trips started (each writes a state row): bindings per account, sign-ins per IP. */
    readonly providerStartsPerAccount: RateLimit;
    readonly providerStartsPerIp: RateLimit;
    readonly realNameStartsPerAccount: RateLimit;
    readonly realNameStartsPerIp: RateLimit;
  };
  readonly codes: {
    readonly ttlSeconds: number;
    readonly maxAttempts: number;
    readonly resendCooldownSeconds: number;
  };
  /** How long a completed step-up lets this session make sensitive changes. */
  readonly stepUpTtlSeconds: number;
  /** How long a factor added without a step-up waits before it serves for step-up, two-step or recovery. */
  readonly newFactorCooldownSeconds: number;
  /** SMS the whole deployment may send per UTC day; past it, SMS sends are refused and an alert is logged. */
  readonly smsDailyBudget: number;
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxCost: number;
    /** Longest query text accepted, checked before parsing. */
    readonly maxQueryBytes: number;
    readonly introspection: boolean;
    readonly sandbox: boolean;
  };
  readonly providers: {
    readonly timeoutMs: number;
    readonly email: EmailProviderConfig;
    readonly sms: SmsProviderConfig;
    /** A vendor without settings is not enabled. */
    readonly wechat: WechatConfig | undefined;
    readonly qq: QqConfig | undefined;
    readonly alipay: AlipayConfig | undefined;
    /** Serve the local stand-ins (/dev/oauth/...) for vendors that are not configured. Never in production. */
    readonly devStandIns: boolean;
  };
  /** Origins (besides PUBLIC_ORIGIN) that OAuth redirectUris and returnUrls may point to. */
  readonly redirectOrigins: readonly string[];
  /** Signing in with a provider identity bound to nobody creates an account. */
  readonly signUpWithProviders: boolean;
  readonly realName: {
    /** `alipay` (needs the ALIPAY_* settings), `dev` (the local stand-in at /dev/identity/...), or `none` (not offered). */
    readonly provider: "dev" | "alipay" | "none";
    /** How many accounts one ID number may pass real-name verification on. */
    readonly maxAccountsPerIdNumber: number;
    /** A check still not passed after this long counts as failed (Alipay answers "not passed" until it is done). */
    readonly pendingTimeoutSeconds: number;
    /** Reading a PENDING check (Account.realName) asks the provider about it at most this often. */
    readonly pollIntervalSeconds: number;
  };
  /** How often expired and used OAuth states and challenges are deleted. */
  readonly sweepIntervalSeconds: number;
  /** How long an authenticated token's rows may be served from memory (0: never); any write to them empties it. */
  readonly authCacheSeconds: number;
  /** The built account center, served at `/` when its index.html is there. */
  readonly webAppDir: string;
  readonly http: {
    /** Origins whose pages may call the API: any (`*`), or these exact ones. */
    readonly corsOrigins: "*" | readonly string[];
    /** Longest a GraphQL request may take before it is answered SERVICE_UNAVAILABLE. */
    readonly requestTimeoutMs: number;
    /**
     * After SIGTERM, how long in-flight requests may take before the process exits anyway. Longer than
     * the request deadline by default, so a drain never cuts a request that is still within it.
     */
    readonly shutdownGraceSeconds: number;
    /** The Bearer token /metrics asks for; unset: no /metrics. */
    readonly metricsToken: string | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Collects every problem instead of stopping at the first, so an operator fixes them in one go. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === "" ? fallback : value;
  }

  /** A value that must be present because another setting chose something that needs it. */
  required(name: string, because: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problems.push(`${name} is required when ${because}`);
    return value ?? "";
  }

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.string(name, fallback);
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  rateLimit(name: string, fallback: RateLimit): RateLimit {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const match = /^(\d+)\/(\d+)$/.exec(raw);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      this.problems.push(`${name} must look like POINTS/SECONDS, e.g. 10/900 (got "${raw}")`);
      return fallback;
    }
    return { points: Number(match[1]), durationSeconds: Number(match[2]) };
  }
}

function parseRedisPrefix(prefix: string, problems: string[]): string {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    problems.push(`REDIS_PREFIX must be 1-64 letters, digits or _ . : - (got "${prefix}")`);
  }
  return prefix;
}

function parseDatabaseUrl(read: EnvReader): DatabaseConfig {
  const url = read.string("DATABASE_URL", "sqlite:data/account.sqlite");
  const schema = read.optional("DATABASE_SCHEMA");
  const { problems } = read;
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length);
    if (file === "") problems.push("DATABASE_URL sqlite:<file> needs a file name");
    return { kind: "sqlite", file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      problems.push(`DATABASE_SCHEMA must be a lower-case SQL identifier (got "${schema}")`);
    }
    const limits: PostgresLimits = {
      poolSize: read.int("DATABASE_POOL_SIZE", 10, 1, 1000),
      connectTimeoutMs: read.int("DATABASE_CONNECT_TIMEOUT_MS", 5000, 100, 600_000),
      statementTimeoutMs: read.int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: read.int("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000, 100, 3_600_000),
    };
    return { kind: "postgres", url, schema, limits };
  }
  problems.push(`DATABASE_URL must be sqlite:<file> or postgres://... (got "${url.replace(/:[^:@/]*@/, ":***@")}")`);
  return { kind: "sqlite", file: path.resolve("data/account.sqlite") };
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function parseDataKey(raw: string | undefined, problems: string[], name = "DATA_ENCRYPTION_KEY"): Buffer | undefined {
  if (raw === undefined) return undefined;
  const key = Buffer.from(raw, "base64");
  if (key.length !== 32 || key.toString("base64") !== raw) {
    problems.push(`${name} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    return undefined;
  }
  return key;
}

/** `id:base64key,id:base64key` */
function parsePreviousKeys(raw: string | undefined, problems: string[]): { id: string; key: Buffer }[] {
  if (raw === undefined) return [];
  return raw.split(",").flatMap((entry) => {
    const [id, key] = entry.trim().split(/:(.*)/s);
    const parsed = KEY_ID.test(id ?? "") ? parseDataKey(key, problems, `DATA_ENCRYPTION_PREVIOUS_KEYS (${id})`) : undefined;
    if (!KEY_ID.test(id ?? "")) problems.push("DATA_ENCRYPTION_PREVIOUS_KEYS must look like id:base64key,id:base64key");
    return parsed ? [{ id, key: parsed }] : [];
  });
}

function parseEmailProvider(read: EnvReader): EmailProviderConfig {
  const kind = read.oneOf("EMAIL_PROVIDER", "console", ["console", "smtp"] as const);
  if (kind === "console") return { kind };
  const because = "EMAIL_PROVIDER=smtp";
  return { kind, url: read.required("SMTP_URL", because), from: read.required("EMAIL_FROM", because) };
}

function parseSmsProvider(read: EnvReader): SmsProviderConfig {
  const kind = read.oneOf("SMS_PROVIDER", "console", ["console", "aliyun", "tencent"] as const);
  if (kind === "aliyun") {
    const because = "SMS_PROVIDER=aliyun";
    return {
      kind,
      accessKeyId: read.required("ALIYUN_ACCESS_KEY_ID", because),
      accessKeySecret: read.required("ALIYUN_ACCESS_KEY_SECRET", because),
      signName: read.required("ALIYUN_SMS_SIGN_NAME", because),
      templateCode: read.required("ALIYUN_SMS_TEMPLATE_CODE", because),
      noticeTemplateCode: read.optional("ALIYUN_SMS_NOTICE_TEMPLATE_CODE"),
      endpoint: read.string("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com"),
    };
  }
  if (kind === "tencent") {
    const because = "SMS_PROVIDER=tencent";
    return {
      kind,
      secretId: read.required("TENCENT_SECRET_ID", because),
      secretKey: read.required("TENCENT_SECRET_KEY", because),
      sdkAppId: read.required("TENCENT_SMS_SDK_APP_ID", because),
      signName: read.required("TENCENT_SMS_SIGN_NAME", because),
      templateId: read.required("TENCENT_SMS_TEMPLATE_ID", because),
      noticeTemplateId: read.optional("TENCENT_SMS_NOTICE_TEMPLATE_ID"),
      region: read.string("TENCENT_SMS_REGION", "ap-guangzhou"),
      endpoint: read.string("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com"),
    };
  }
  return { kind };
}

/** PEM keys often arrive in env files with `\n` escapes. */
function pem(raw: string): string {
  return raw.replace(/\\n/g, "\n");
}

function parseOAuthVendors(read: EnvReader) {
  const wechatId = read.optional("WECHAT_APP_ID");
  const qqId = read.optional("QQ_APP_ID");
  const alipayId = read.optional("ALIPAY_APP_ID");
  return {
    wechat: wechatId
      ? {
          appId: wechatId,
          appSecret: read.required("WECHAT_APP_SECRET", "WECHAT_APP_ID is set"),
          openBase: read.string("WECHAT_OPEN_BASE", "https://open.weixin.qq.com").replace(/\/+$/, ""),
          apiBase: read.string("WECHAT_API_BASE", "https://api.weixin.qq.com").replace(/\/+$/, ""),
        }
      : undefined,
    qq: qqId
      ? {
          appId: qqId,
          appKey: read.required("QQ_APP_KEY", "QQ_APP_ID is set"),
          apiBase: read.string("QQ_API_BASE", "https://graph.qq.com").replace(/\/+$/, ""),
        }
      : undefined,
    alipay: alipayId
      ? {
          appId: alipayId,
          privateKey: pem(read.required("ALIPAY_PRIVATE_KEY", "ALIPAY_APP_ID is set")),
          alipayPublicKey: pem(read.required("ALIPAY_PUBLIC_KEY", "ALIPAY_APP_ID is set")),
          gateway: read.string("ALIPAY_GATEWAY", "https://openapi.alipay.com/gateway.do"),
          authorizeUrl: read.string("ALIPAY_AUTHORIZE_URL", "https://openauth.alipay.com/oauth2/publicAppAuthorize.htm"),
        }
      : undefined,
  };
}

function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter((origin) => {
      const valid = /^https?:\/\/[^/?#]+$/.test(origin);
      if (!valid) problems.push(`REDIRECT_ORIGINS entries must be origins like https://console.example.com (got "${origin}")`);
      return valid;
    });
}

/** `*`, or a comma list of exact origins (a browser sends its Origin without a path or a trailing slash). */
function parseCorsOrigins(raw: string, problems: string[]): "*" | string[] {
  if (raw.trim() === "*") return "*";
  return raw
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => {
      const valid = /^https?:\/\/[^/?#*\s]+$/.test(origin);
      if (!valid) problems.push(`CORS_ORIGINS must be * or origins like https://console.example.com, comma-separated (got "${origin}")`);
      return valid;
    });
}

function parseMetricsToken(raw: string | undefined, problems: string[]): string | undefined {
  if (raw !== undefined && !/^[\x21-\x7e]{16,256}$/.test(raw)) {
    problems.push("METRICS_TOKEN must be 16-256 printable characters without spaces (e.g. `openssl rand -hex 32`)");
    return undefined;
  }
  return raw;
}

/**
 * The dev stand-ins let anyone pass real-name checks and sign in as any dev OAuth identity, so
 * they run only where nobody else can reach them: refusing to start (rather than switching them
 * off with a warning) makes a deployment that forgot NODE_ENV=production say so at once.
 */
function devStandInExposure(config: Config): string | null {
  const { providers, realName, host, publicOrigin } = config;
  const active = providers.devStandIns && (!providers.wechat || !providers.qq || !providers.alipay || realName.provider === "dev");
  if (!active) return null;
  // A reverse proxy on this machine makes a loopback listener public: PUBLIC_ORIGIN says where browsers come from.
  const reachable = !isLoopbackHost(host)
    ? `HOST=${host}`
    : URL.canParse(publicOrigin) && !isLoopbackHost(new URL(publicOrigin).hostname)
      ? `PUBLIC_ORIGIN=${publicOrigin}`
      : null;
  if (reachable === null) return null;
  return (
    `${reachable} is not loopback, but the dev stand-ins are on ` +
    "(DEV_PROVIDERS, on by default outside NODE_ENV=production, and IDENTITY_PROVIDER=dev): anyone could pass real-name " +
    "checks and sign in as any dev OAuth identity. Set NODE_ENV=production with real providers, or DEV_PROVIDERS=false " +
    "(and IDENTITY_PROVIDER=alipay or none), or listen on loopback (HOST=127.0.0.1)"
  );
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined) return false;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf<NodeEnv>("NODE_ENV", "development", ["development", "production", "test"]);
  const production = nodeEnv === "production";
  const host = read.string("HOST", "127.0.0.1");
  const port = read.int("PORT", 4000, 0, 65535);
  const publicOrigin = read.string("PUBLIC_ORIGIN", `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(publicOrigin)) {
    read.problems.push(`PUBLIC_ORIGIN must be an origin like https://id.example.com (got "${publicOrigin}")`);
  }

  const oauthVendors = parseOAuthVendors(read);
  const devStandIns = read.bool("DEV_PROVIDERS", !production);
  // Unset: Alipay when configured, else the dev stand-in where allowed, else real-name is not offered.
  const defaultIdentityProvider = oauthVendors.alipay ? "alipay" : devStandIns ? "dev" : "none";

  const config: Config = {
    nodeEnv,
    host,
    port,
    publicOrigin,
    database: parseDatabaseUrl(read),
    bcryptCost: read.int("BCRYPT_COST", 12, 4, 15),
    dataEncryptionKey: parseDataKey(read.optional("DATA_ENCRYPTION_KEY"), read.problems),
    dataEncryptionKeyId: read.string("DATA_ENCRYPTION_KEY_ID", "k1"),
    previousDataEncryptionKeys: parsePreviousKeys(read.optional("DATA_ENCRYPTION_PREVIOUS_KEYS"), read.problems),
    totpIssuer: read.string("TOTP_ISSUER", "Account Platform"),
    redisUrl: read.optional("REDIS_URL"),
    redisCommandTimeoutMs: read.int("REDIS_COMMAND_TIMEOUT_MS", 500, 10, 60_000),
    redisPrefix: parseRedisPrefix(read.string("REDIS_PREFIX", "account-platform"), read.problems),
    trustProxy: parseTrustProxy(read.optional("TRUST_PROXY")),
    logLevel: read.oneOf("LOG_LEVEL", nodeEnv === "test" ? "warn" : "info", ["trace", "debug", "info", "warn", "error", "fatal", "silent"]),
    session: {
      idleTimeoutSeconds: read.int("SESSION_IDLE_TIMEOUT_SECONDS", 7 * 24 * 3600, 60, 365 * 24 * 3600),
      absoluteTimeoutSeconds: read.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 30 * 24 * 3600, 60, 365 * 24 * 3600),
    },
    rateLimits: {
      loginFailuresPerIdentifier: read.rateLimit("RATE_LIMIT_LOGIN_IDENTIFIER", { points: 10, durationSeconds: 900 }),
      loginFailuresPerIp: read.rateLimit("RATE_LIMIT_LOGIN_IP", { points: 50, durationSeconds: 900 }),
      passwordFailuresPerAccount: read.rateLimit("RATE_LIMIT_PASSWORD_ACCOUNT", { points: 10, durationSeconds: 900 }),
      registrationsPerIp: read.rateLimit("RATE_LIMIT_REGISTER_IP", { points: 20, durationSeconds: 3600 }),
      codeSendsPerTargetHour: read.rateLimit("RATE_LIMIT_CODE_TARGET_HOUR", { points: 5, durationSeconds: 3600 }),
      codeSendsPerTargetDay: read.rateLimit("RATE_LIMIT_CODE_TARGET_DAY", { points: 10, durationSeconds: 86400 }),
      codeSendsPerAccount: read.rateLimit("RATE_LIMIT_CODE_ACCOUNT", { points: 20, durationSeconds: 3600 }),
      codeSendsPerIp: read.rateLimit("RATE_LIMIT_CODE_IP", { points: 30, durationSeconds: 3600 }),
      resetCodeSendsPerTargetHour: read.rateLimit("RATE_LIMIT_RESET_CODE_TARGET_HOUR", { points: 5, durationSeconds: 3600 }),
      resetCodeSendsPerTargetDay: read.rateLimit("RATE_LIMIT_RESET_CODE_TARGET_DAY", { points: 10, durationSeconds: 86400 }),
      secondFactorFailuresPerAccount: read.rateLimit("RATE_LIMIT_SECOND_FACTOR_ACCOUNT", { points: 10, durationSeconds: 900 }),
      takenAnswersPerAccount: read.rateLimit("RATE_LIMIT_TAKEN_ACCOUNT", { points: 10, durationSeconds: 3600 }),
      takenAnswersPerIp: read.rateLimit("RATE_LIMIT_TAKEN_IP", { points: 30, durationSeconds: 3600 }),
      providerStartsPerAccount: read.rateLimit("RATE_LIMIT_PROVIDER_START_ACCOUNT", { points: 20, durationSeconds: 3600 }),
      providerStartsPerIp: read.rateLimit("RATE_LIMIT_PROVIDER_START_IP", { points: 30, durationSeconds: 900 }),
      realNameStartsPerAccount: read.rateLimit("RATE_LIMIT_REAL_NAME_ACCOUNT", { points: 5, durationSeconds: 86400 }),
      realNameStartsPerIp: read.rateLimit("RATE_LIMIT_REAL_NAME_IP", { points: 20, durationSeconds: 86400 }),
    },
    codes: {
      ttlSeconds: read.int("CODE_TTL_SECONDS", 600, 60, 3600),
      maxAttempts: read.int("CODE_MAX_ATTEMPTS", 5, 1, 20),
      resendCooldownSeconds: read.int("CODE_RESEND_COOLDOWN_SECONDS", 60, 0, 3600),
    },
    stepUpTtlSeconds: read.int("STEP_UP_TTL_SECONDS", 600, 30, 86400),
    newFactorCooldownSeconds: read.int("NEW_FACTOR_COOLDOWN_SECONDS", 86400, 0, 30 * 86400),
    smsDailyBudget: read.int("SMS_DAILY_BUDGET", 10000, 0, 100_000_000),
    graphql: {
      maxDepth: read.int("GRAPHQL_MAX_DEPTH", 10, 2, 50),
      maxCost: read.int("GRAPHQL_MAX_COST", 1000, 10, 100000),
      maxQueryBytes: read.int("GRAPHQL_MAX_QUERY_BYTES", 16384, 1024, 100 * 1024),
      introspection: read.bool("GRAPHQL_INTROSPECTION", !production),
      sandbox: read.bool("GRAPHQL_SANDBOX", !production),
    },
    providers: {
      timeoutMs: read.int("PROVIDER_TIMEOUT_MS", 5000, 100, 60000),
      email: parseEmailProvider(read),
      sms: parseSmsProvider(read),
      ...oauthVendors,
      devStandIns,
    },
    redirectOrigins: parseOrigins(read.optional("REDIRECT_ORIGINS"), read.problems),
    signUpWithProviders: read.bool("PROVIDER_SIGN_UP", false),
    realName: {
      provider: read.oneOf("IDENTITY_PROVIDER", defaultIdentityProvider, ["dev", "alipay", "none"] as const),
      maxAccountsPerIdNumber: read.int("REAL_NAME_MAX_ACCOUNTS_PER_ID", 1, 1, 100),
      pendingTimeoutSeconds: read.int("REAL_NAME_PENDING_TIMEOUT_SECONDS", 1800, 60, 23 * 3600),
      pollIntervalSeconds: read.int("REAL_NAME_POLL_INTERVAL_SECONDS", 10, 1, 3600),
    },
    sweepIntervalSeconds: read.int("SWEEP_INTERVAL_SECONDS", 600, 1, 86400),
    authCacheSeconds: read.int("AUTH_CACHE_SECONDS", 30, 0, 300),
    webAppDir: path.resolve(read.string("WEB_APP_DIR", "web/dist")),
    http: {
      corsOrigins: parseCorsOrigins(read.string("CORS_ORIGINS", "*"), read.problems),
      requestTimeoutMs: read.int("REQUEST_TIMEOUT_MS", 15000, 100, 300000),
      shutdownGraceSeconds: read.int("SHUTDOWN_GRACE_SECONDS", 20, 1, 3600),
      metricsToken: parseMetricsToken(read.optional("METRICS_TOKEN"), read.problems),
    },
  };

  if (config.session.absoluteTimeoutSeconds < config.session.idleTimeoutSeconds) {
    read.problems.push("SESSION_ABSOLUTE_TIMEOUT_SECONDS must not be shorter than SESSION_IDLE_TIMEOUT_SECONDS");
  }
  if (production && !config.dataEncryptionKey) read.problems.push("DATA_ENCRYPTION_KEY is required in production");
  if (!KEY_ID.test(config.dataEncryptionKeyId)) read.problems.push("DATA_ENCRYPTION_KEY_ID must be 1-32 letters, digits, _ or -");
  if (config.totpIssuer.length > 64 || config.totpIssuer.includes(":"))
    read.problems.push("TOTP_ISSUER must be at most 64 characters, without a colon");
  if (production && config.providers.devStandIns) read.problems.push("DEV_PROVIDERS must be off in production");
  if (config.realName.provider === "alipay" && !config.providers.alipay)
    read.problems.push("IDENTITY_PROVIDER=alipay needs the ALIPAY_* settings");
  if (config.realName.provider === "dev" && !config.providers.devStandIns)
    read.problems.push("IDENTITY_PROVIDER=dev needs DEV_PROVIDERS on");
  const exposure = devStandInExposure(config);
  if (exposure) read.problems.push(exposure);
  if (production && (config.providers.email.kind === "console" || config.providers.sms.kind === "console")) {
    read.problems.push("EMAIL_PROVIDER and SMS_PROVIDER must name real providers in production (console only logs)");
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
