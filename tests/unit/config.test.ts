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
      providers: { email: "console", sms: "console" },
    });
  });

  it("turns introspection and the sandbox off in production", () => {
    const config = loadConfig({ NODE_ENV: "production" });
    expect(config.graphql).toMatchObject({ introspection: false, sandbox: false });
  });

  it("reads PostgreSQL URLs and rate limits", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://app@db:5432/accounts",
      DATABASE_SCHEMA: "tenant_a",
      RATE_LIMIT_LOGIN_IDENTIFIER: "5/600",
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://app@db:5432/accounts", schema: "tenant_a" });
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
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("is frozen", () => {
    const config = loadConfig({});
    expect(() => {
      (config.session as { idleTimeoutSeconds: number }).idleTimeoutSeconds = 1;
    }).toThrow(TypeError);
  });

  it("refuses an absolute session timeout shorter than the idle one", () => {
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT_SECONDS: "7200", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "3600" })).toThrow(ConfigError);
  });
});
