import "reflect-metadata";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../../src/config";
import { createLogger } from "../../src/core/logger";
import { createDataSource } from "../../src/db/data-source";
import { startServer, type RunningServer } from "../../src/server";
import { createTestDatabase, type TestDatabase } from "./databases";
import { GraphQLClient } from "./graphql-client";
import { TestClock } from "./test-clock";

/** Settings for tests: cheap bcrypt, a random port, and IP budgets that a whole file from 127.0.0.1 stays under. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: "test",
  PORT: "0",
  BCRYPT_COST: "4",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
  RATE_LIMIT_LOGIN_IP: "10000/900",
  RATE_LIMIT_REGISTER_IP: "10000/3600",
};

export interface TestApp {
  readonly url: string;
  readonly config: Config;
  readonly clock: TestClock;
  readonly dataSource: DataSource;
  /** A client without a token; `.as(token)` gives one with. */
  readonly client: GraphQLClient;
  stop(): Promise<void>;
}

/** The real server, in this process, on a database of its own, with migrations run. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
  const config = loadConfig({ ...TEST_ENV, ...database.env, ...env });
  const clock = new TestClock();
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "all" });
  let server: RunningServer;
  try {
    server = await startServer({ config, logger: createLogger(config.logLevel), clock, dataSource });
  } catch (error) {
    await dataSource.destroy();
    await database.drop();
    throw error;
  }
  return {
    url: server.url,
    config,
    clock,
    dataSource,
    client: new GraphQLClient(server.url),
    async stop() {
      await server.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
