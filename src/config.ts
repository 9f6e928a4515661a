import { z } from "zod";
import { isLoopbackHost } from "./core/loopback";
import { settingProblems } from "./core/env-settings";
import { databaseSettings } from "./db/database.settings";
import { alipaySettings } from "./providers/alipay/alipay.settings";
import { emailSettings } from "./providers/email/email.settings";
import { realNameSettings } from "./providers/identity/identity.settings";
import { qqSettings } from "./providers/oauth/qq.settings";
import { wechatSettings } from "./providers/oauth/wechat.settings";
import { providerSettings } from "./providers/providers.settings";
import { smsSettings } from "./providers/sms/sms.settings";
import {
  graphqlSettings,
  httpSettings,
  rateLimitSettings,
  redisSettings,
  secretsSettings,
  serverSettings,
  sessionSettings,
} from "./settings";

/**
 * Every setting, read from the environment once at start-up, validated, and frozen. This is the only
 * module that reads process.env; everything else receives a Config. The settings are defined by
 * concern beside their owners (src/settings.ts, each vendor's beside its adapter); this module puts
 * them together, fills in the defaults that depend on other settings, and checks the rules that span
 * several. docs/configuration.md's table is generated from the same definitions (`npm run docs:settings`).
 */

/** Each group reads the whole environment; the settings table lists them in this order. */
export const settingGroups = {
  server: serverSettings,
  http: httpSettings,
  database: databaseSettings,
  redis: redisSettings,
  secrets: secretsSettings,
  sessions: sessionSettings,
  limits: rateLimitSettings,
  graphql: graphqlSettings,
  providers: providerSettings,
  email: emailSettings,
  sms: smsSettings,
  wechat: wechatSettings,
  qq: qqSettings,
  alipay: alipaySettings,
  realName: realNameSettings,
};

const configSchema = z.object(settingGroups).transform((groups, ctx) => {
  const { server, limits, realName, providers } = groups;
  const production = server.nodeEnv === "production";
  const problem = (message: string) => ctx.issues.push({ code: "custom", message, input: undefined });

  const { host, port } = server;
  const publicOrigin = (server.publicOrigin ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(publicOrigin))
    problem(`PUBLIC_ORIGIN must be an origin like https://id.example.com (got "${publicOrigin}")`);
  const devStandIns = providers.devStandIns ?? !production;

  const config = {
    ...server,
    publicOrigin,
    logLevel: server.logLevel ?? (server.nodeEnv === "test" ? "warn" : "info"),
    http: groups.http,
    database: groups.database,
    ...groups.redis,
    ...groups.secrets,
    ...groups.sessions,
    rateLimits: {
      ...limits.rateLimits,
      realNameStartsPerAccount: realName.realNameStartsPerAccount,
      realNameStartsPerIp: realName.realNameStartsPerIp,
    },
    smsDailyBudget: limits.smsDailyBudget,
    graphql: {
      ...groups.graphql,
      introspection: groups.graphql.introspection ?? !production,
      sandbox: groups.graphql.sandbox ?? !production,
    },
    providers: {
      timeoutMs: providers.timeoutMs,
      email: groups.email,
      sms: groups.sms,
      /** A vendor without settings is not enabled. */
      wechat: groups.wechat,
      qq: groups.qq,
      alipay: groups.alipay,
      /** Serve the local stand-ins (/dev/oauth/...) for vendors that are not configured. Never in production. */
      devStandIns,
    },
    signUpWithProviders: providers.signUpWithProviders,
    realName: {
      /** `alipay` (needs the ALIPAY_* settings), `dev` (the local stand-in at /dev/identity/...), or `none` (not offered). */
      // Unset: Alipay when configured, else the dev stand-in where allowed, else real-name is not offered.
      provider: realName.provider ?? (groups.alipay ? "alipay" : devStandIns ? "dev" : "none"),
      /** How many accounts one ID number may pass real-name verification on. */
      maxAccountsPerIdNumber: realName.maxAccountsPerIdNumber,
      pendingTimeoutSeconds: realName.pendingTimeoutSeconds,
      pollIntervalSeconds: realName.pollIntervalSeconds,
    },
  };

  if (config.session.absoluteTimeoutSeconds < config.session.idleTimeoutSeconds) {
    problem("SESSION_ABSOLUTE_TIMEOUT_SECONDS must not be shorter than SESSION_IDLE_TIMEOUT_SECONDS");
  }
  if (production && !config.dataEncryptionKey) problem("DATA_ENCRYPTION_KEY is required in production");
  if (production && devStandIns) problem("DEV_PROVIDERS must be off in production");
  if (config.realName.provider === "alipay" && !config.providers.alipay) problem("IDENTITY_PROVIDER=alipay needs the ALIPAY_* settings");
  if (config.realName.provider === "dev" && !devStandIns) problem("IDENTITY_PROVIDER=dev needs DEV_PROVIDERS on");
  const exposure = devStandInExposure(config);
  if (exposure) problem(exposure);
  if (production && (config.providers.email.kind === "console" || config.providers.sms.kind === "console")) {
    problem("EMAIL_PROVIDER and SMS_PROVIDER must name real providers in production (console only logs)");
  }
  return config;
});

/** Every setting, typed as read; nothing in it may be changed. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;
export type NodeEnv = Config["nodeEnv"];
export type DatabaseConfig = Config["database"];
export type PostgresLimits = Extract<DatabaseConfig, { kind: "postgres" }>["limits"];
export type EmailProviderConfig = Config["providers"]["email"];
export type SmsProviderConfig = Config["providers"]["sms"];
export type AliyunSmsConfig = Extract<SmsProviderConfig, { kind: "aliyun" }>;
export type TencentSmsConfig = Extract<SmsProviderConfig, { kind: "tencent" }>;
export type WechatConfig = NonNullable<Config["providers"]["wechat"]>;
export type QqConfig = NonNullable<Config["providers"]["qq"]>;
export type AlipayConfig = NonNullable<Config["providers"]["alipay"]>;
export type { RateLimit } from "./core/env-settings";

type DeepReadonly<T> = T extends Buffer
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/**
 * The dev stand-ins let anyone pass real-name checks and sign in as any dev OAuth identity, so
 * they run only where nobody else can reach them: refusing to start (rather than switching them
 * off with a warning) makes a deployment that forgot NODE_ENV=production say so at once.
 */
function devStandInExposure(config: Pick<Config, "providers" | "realName" | "host" | "publicOrigin">): string | null {
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

export function loadConfig(env: Env = process.env): Config {
  // Every group reads the same environment; all problems are reported at once, so an operator fixes them in one go.
  const input = Object.fromEntries(Object.keys(settingGroups).map((group) => [group, env]));
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(settingProblems(result.error));
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
