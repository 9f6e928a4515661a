import "reflect-metadata";
import fs from "node:fs";
import { ConfigError, loadConfig } from "./config";
import { systemClock } from "./core/clock";
import { createLogger } from "./core/logger";
import { createDataSource } from "./db/data-source";
import { migrate } from "./db/migrate";
import { startServer } from "./server";

async function main(): Promise<void> {
  // Node's own .env loader; a variable already set in the environment wins over the file.
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { pretty: process.stdout.isTTY === true && config.nodeEnv !== "production" });

  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  const applied = await migrate(config.database, dataSource);
  logger.info({ database: config.database.kind, migrationsApplied: applied }, "database ready");

  const server = await startServer({ config, logger, clock: systemClock, dataSource });
  logger.info({ url: server.url, sandbox: config.graphql.sandbox }, `account platform listening on ${server.url}`);
  if (server.webAppUrl) logger.info(`account center at ${server.webAppUrl}`);

  // Unready for the delay, then stop accepting, answer what is in flight, and exit; never later than
  // the delay and the grace (plus a second to close up).
  const shutdown = async (signal: string) => {
    const { shutdownDelaySeconds: delaySeconds, shutdownGraceSeconds: graceSeconds } = config.http;
    logger.info({ signal, delaySeconds, graceSeconds }, "draining: unready, then no new connections, answering requests in flight");
    setTimeout(
      () => {
        logger.error("shutdown grace passed; exiting with work unfinished");
        process.exit(1);
      },
      (delaySeconds + graceSeconds + 1) * 1000,
    ).unref();
    await server.stop();
    await dataSource.destroy();
    logger.info("drained; exiting");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("failed to start:", error);
  }
  process.exit(1);
});
