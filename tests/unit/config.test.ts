import path from "node:path";
import { ConfigError, loadConfig } from "../../src/config";

describe("loadConfig", () => {
  it("runs with no settings at all, on the SQLite file, with the sandbox on", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: "development",
      host: "127.0.0.1",
      port: 4000,
      publicOrigin: "http://127.0.0.1:4000",
      database: { kind: "sqlite", file: path.resolve("data/account.sqlite") },
      bcryptCost: 12,
      graphql: { introspection: true, sandbox: true },
      providers: { timeoutMs: 5000, email: { kind: "console" }, sms: { kind: "console" } },
      codes: { ttlSeconds: 600, maxAttempts: 5, resendCooldownSeconds: 60 },
      stepUpTtlSeconds: 600,
      dataEncryptionKey: undefined,
      redisUrl: undefined,
      redisPrefix: "account-platform",
    });
  });

  const PRODUCTION = {
    NODE_ENV: "production",
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    EMAIL_PROVIDER: "smtp",
    SMTP_URL: "smtps://mailer:secret@smtp.example.com:465",
    EMAIL_FROM: "no-reply@example.com",
    SMS_PROVIDER: "tencent",
    TENCENT_SECRET_ID: "AKID",
    TENCENT_SECRET_KEY: "key",
    TENCENT_SMS_SDK_APP_ID: "1400000000",
    TENCENT_SMS_SIGN_NAME: "账号中心",
    TENCENT_SMS_TEMPLATE_ID: "100001",
  };

  it("turns introspection and the sandbox off in production", () => {
    const config = loadConfig(PRODUCTION);
    expect(config.graphql).toMatchObject({ introspection: false, sandbox: false });
    expect(config.dataEncryptionKey).toEqual(Buffer.alloc(32, 7));
    expect(config.providers.sms).toMatchObject({ kind: "tencent", region: "ap-guangzhou", endpoint: "https://sms.tencentcloudapi.com" });
  });

  it("refuses production without a data key or with console providers", () => {
    const { DATA_ENCRYPTION_KEY: _key, ...withoutKey } = PRODUCTION;
    expect(() => loadConfig(withoutKey)).toThrow(/DATA_ENCRYPTION_KEY is required/);
    expect(() => loadConfig({ ...PRODUCTION, SMS_PROVIDER: "console" })).toThrow(/must name real providers/);
  });

  it("names each setting a chosen provider still needs", () => {
    let error: unknown;
    try {
      loadConfig({ EMAIL_PROVIDER: "smtp", SMS_PROVIDER: "aliyun", ALIYUN_ACCESS_KEY_ID: "id" });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual([
      "SMTP_URL is required when EMAIL_PROVIDER=smtp",
      "EMAIL_FROM is required when EMAIL_PROVIDER=smtp",
      "ALIYUN_ACCESS_KEY_SECRET is required when SMS_PROVIDER=aliyun",
      "ALIYUN_SMS_SIGN_NAME is required when SMS_PROVIDER=aliyun",
      "ALIYUN_SMS_TEMPLATE_CODE is required when SMS_PROVIDER=aliyun",
    ]);
  });

  it("refuses a data key that is not 32 bytes of base64", () => {
    expect(() => loadConfig({ DATA_ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/DATA_ENCRYPTION_KEY must be 32 bytes/);
  });

  it("reads PostgreSQL URLs and rate limits", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://app@db:5432/accounts",
      DATABASE_SCHEMA: "tenant_a",
      RATE_LIMIT_LOGIN_IDENTIFIER: "5/600",
    });
    expect(config.database).toEqual({
      kind: "postgres",
      url: "postgres://app@db:5432/accounts",
      schema: "tenant_a",
      limits: { poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 10_000 },
    });
    expect(config.rateLimits.loginFailuresPerIdentifier).toEqual({ points: 5, durationSeconds: 600 });
  });

  it("reports every bad setting at once, without echoing a database password", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "http",
        BCRYPT_COST: "3",
        DATABASE_URL: "mysql://root:hunter2@db/x",
        RATE_LIMIT_LOGIN_IP: "lots",
        GRAPHQL_SANDBOX: "maybe",
        EMAIL_PROVIDER: "carrier-pigeon",
        REDIS_PREFIX: "my app",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(7);
    expect(problems.join("\n")).toContain("EMAIL_PROVIDER must be one of console, smtp");
    expect(problems.join("\n")).toContain('REDIS_PREFIX must be 1-64 letters, digits or _ . : - (got "my app")');
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  describe("the dev stand-ins, which let anyone pass real-name checks and sign in as any dev OAuth identity", () => {
    it("run out of the box on loopback", () => {
      for (const HOST of ["127.0.0.1", "127.8.9.10", "::1", "localhost", "LOCALHOST"]) {
        const config = loadConfig({ HOST });
        expect(config.providers.devStandIns).toBe(true);
        expect(config.realName.provider).toBe("dev");
      }
      expect(loadConfig({ HOST: "::1" }).publicOrigin).toBe("http://[::1]:4000");
    });

    it.each(["0.0.0.0", "::", "192.168.1.20", "::ffff:10.0.0.1", "id.example.com", "128.0.0.1"])(
      "refuse to start on HOST=%s, naming the settings to change",
      (HOST) => {
        expect(() => loadConfig({ HOST })).toThrow(ConfigError);
        expect(() => loadConfig({ HOST })).toThrow(/HOST=.* is not loopback.*DEV_PROVIDERS=false.*HOST=127\.0\.0\.1/s);
        expect(() => loadConfig({ HOST, IDENTITY_PROVIDER: "dev", DEV_PROVIDERS: "true" })).toThrow(/not loopback/);
      },
    );

    it("refuse to start behind a proxy whose PUBLIC_ORIGIN is not loopback", () => {
      expect(() => loadConfig({ PUBLIC_ORIGIN: "https://id.example.com" })).toThrow(
        /PUBLIC_ORIGIN=https:\/\/id.example.com is not loopback/,
      );
      expect(loadConfig({ PUBLIC_ORIGIN: "http://localhost:5173" }).providers.devStandIns).toBe(true);
    });

    it("let the server listen on the network once they are off", () => {
      const config = loadConfig({ HOST: "0.0.0.0", DEV_PROVIDERS: "false" });
      expect(config.providers.devStandIns).toBe(false);
      expect(config.realName.provider).toBe("none");
    });
  });

  it("is frozen", () => {
    const config = loadConfig({});
    expect(() => {
      (config.session as { idleTimeoutSeconds: number }).idleTimeoutSeconds = 1;
    }).toThrow(TypeError);
  });

  it("reads the HTTP settings: CORS for any origin by default, or exact origins; deadline, drain delay and grace, metrics token", () => {
    expect(loadConfig({}).http).toEqual({
      corsOrigins: "*",
      requestTimeoutMs: 15000,
      shutdownGraceSeconds: 20,
      shutdownDelaySeconds: 0,
      metricsToken: undefined,
    });
    const config = loadConfig({
      CORS_ORIGINS: "https://console.example.com, http://localhost:5173",
      REQUEST_TIMEOUT_MS: "3000",
      SHUTDOWN_GRACE_SECONDS: "5",
      SHUTDOWN_DELAY_SECONDS: "10",
      METRICS_TOKEN: "0123456789abcdef0123",
    });
    expect(config.http).toEqual({
      corsOrigins: ["https://console.example.com", "http://localhost:5173"],
      requestTimeoutMs: 3000,
      shutdownGraceSeconds: 5,
      shutdownDelaySeconds: 10,
      metricsToken: "0123456789abcdef0123",
    });
  });

  it("refuses CORS_ORIGINS entries that are not exact origins, and a short METRICS_TOKEN", () => {
    const error = (() => {
      try {
        loadConfig({ CORS_ORIGINS: "https://console.example.com/app,*.example.com", METRICS_TOKEN: "short" });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error.problems).toEqual([
      'CORS_ORIGINS must be * or origins like https://console.example.com, comma-separated (got "https://console.example.com/app")',
      'CORS_ORIGINS must be * or origins like https://console.example.com, comma-separated (got "*.example.com")',
      "METRICS_TOKEN must be 16-256 printable characters without spaces (e.g. `openssl rand -hex 32`)",
    ]);
  });

  it("refuses an absolute session timeout shorter than the idle one", () => {
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT_SECONDS: "7200", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "3600" })).toThrow(ConfigError);
  });
});
