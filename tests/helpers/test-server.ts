import "reflect-metadata";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../../src/config";
import { createLogger } from "../../src/core/logger";
import { createDataSource } from "../../src/db/data-source";
import { migrate } from "../../src/db/migrate";
import { startServer, type RunningServer } from "../../src/server";
import { startFakeAliyunSms, type FakeAliyunSms } from "../fakes/aliyun-sms.fake";
import { startFakeSmtp, type FakeSmtp } from "../fakes/smtp.fake";
import { createTestDatabase, type TestDatabase } from "./databases";
import { GraphQLClient } from "./graphql-client";
import { TestClock } from "./test-clock";
import { freePort } from "./free-port";

/** Settings for tests: cheap bcrypt, a random port, and IP budgets that a whole file from 127.0.0.1 stays under. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: "test",
  BCRYPT_COST: "4",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
  DATA_ENCRYPTION_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=",
  RATE_LIMIT_LOGIN_IP: "10000/900",
  RATE_LIMIT_REGISTER_IP: "10000/3600",
  RATE_LIMIT_CODE_IP: "10000/3600",
  RATE_LIMIT_CODE_ACCOUNT: "10000/3600",
  RATE_LIMIT_REAL_NAME_IP: "10000/86400",
  RATE_LIMIT_TAKEN_IP: "10000/3600",
  RATE_LIMIT_PROVIDER_START_IP: "10000/900",
  RATE_LIMIT_PERSISTED_QUERY_IP: "10000/3600",
  // A loaded test machine can hold a Redis reply past the 500 ms default; a timeout would make each
  // process count alone and the burst tests see twice the budget. The hang tests set their own.
  REDIS_COMMAND_TIMEOUT_MS: "5000",
};

const ALIYUN = { accessKeyId: "LTAItestkey", accessKeySecret: "aliyun-test-secret" };

/** Providers speak their real protocols to loopback fakes: SMTP to a real SMTP server, SMS to a fake Aliyun gateway. */
function providerEnv(smtp: FakeSmtp, sms: FakeAliyunSms): Record<string, string> {
  return {
    EMAIL_PROVIDER: "smtp",
    SMTP_URL: smtp.url,
    EMAIL_FROM: "账号中心 <no-reply@account.example.com>",
    SMS_PROVIDER: "aliyun",
    ALIYUN_ACCESS_KEY_ID: ALIYUN.accessKeyId,
    ALIYUN_ACCESS_KEY_SECRET: ALIYUN.accessKeySecret,
    ALIYUN_SMS_SIGN_NAME: "账号中心",
    ALIYUN_SMS_TEMPLATE_CODE: "SMS_100000001",
    ALIYUN_SMS_NOTICE_TEMPLATE_CODE: "SMS_100000002",
    ALIYUN_SMS_ENDPOINT: sms.url,
  };
}

export interface TestApp {
  readonly url: string;
  readonly config: Config;
  readonly clock: TestClock;
  readonly dataSource: DataSource;
  /** The SMTP server mail is delivered to. */
  readonly smtp: FakeSmtp;
  /** The Aliyun SMS gateway SMS go to. */
  readonly sms: FakeAliyunSms;
  /** The code of the first code SMS to an E.164 number after the `seen` first ones (waits for it). */
  smsCodeFor(phoneE164: string, seen?: number): Promise<string>;
  /** SMS sent so far to an E.164 number. */
  smsTo(phoneE164: string): FakeAliyunSms["messages"];
  /** A client without a token; `.as(token)` gives one with. */
  readonly client: GraphQLClient;
  stop(): Promise<void>;
}

/** The real server, in this process, on a database of its own, with migrations run. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
  const smtp = await startFakeSmtp();
  const sms = await startFakeAliyunSms(ALIYUN);
  // A known port, so PUBLIC_ORIGIN (which OAuth redirects and dev consent URLs use) is where the server is.
  const port = String(await freePort());
  const config = loadConfig({ ...TEST_ENV, PORT: port, ...providerEnv(smtp, sms), ...database.env, ...env });
  const clock = new TestClock();
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  await migrate(config.database, dataSource);
  let server: RunningServer;
  try {
    server = await startServer({ config, logger: createLogger(config.logLevel), clock, dataSource });
  } catch (error) {
    await dataSource.destroy();
    await Promise.all([database.drop(), smtp.stop(), sms.stop()]);
    throw error;
  }
  const smsTo = (phoneE164: string) => sms.messages.filter((m) => m.phoneNumbers === phoneE164.replace(/^\+86/, "").replace(/^\+/, ""));
  return {
    url: server.url,
    config,
    clock,
    dataSource,
    smtp,
    sms,
    smsTo,
    async smsCodeFor(phoneE164, seen = 0) {
      // Notices (another template) may arrive in between: take the first code SMS after `seen`.
      const message = await eventually(() =>
        smsTo(phoneE164)
          .slice(seen)
          .find((m) => m.templateParam.code !== undefined),
      );
      return message.templateParam.code;
    },
    client: new GraphQLClient(server.url),
    async stop() {
      await server.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await Promise.all([database.drop(), smtp.stop(), sms.stop()]);
    },
  };
}

/** Settings that make a further test server use `app`'s database: a second process of the same deployment. */
export function sameDatabaseAs(app: TestApp): Record<string, string> {
  const { database } = app.config;
  return database.kind === "sqlite"
    ? { DATABASE_URL: `sqlite:${database.file}` }
    : { DATABASE_URL: database.url, ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}) };
}

/** Polls until `probe` returns a value (for work the server does in the background), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
