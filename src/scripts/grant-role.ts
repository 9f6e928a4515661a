import "reflect-metadata";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../config";
import { PAST_DEADLINE, withinDeadline } from "../core/deadline";
import { boundedRedisOptions, START_WAIT_MS } from "../core/redis";
import { createDataSource } from "../db/data-source";
import { publishInvalidation } from "../db/lookup-cache";
import { AccountEntity } from "../entities/account.entity";
import { grantRole, SUPPORT_ROLE } from "../modules/admin/admin.service";

/**
 * Grants the role, then tells the servers sharing `redisUrl` and `redisPrefix` to drop the account
 * rows they cached for authentication, so the role works on the user's next request: this process is
 * not one of them, and its write reaches their caches no other way. Without Redis, or when it cannot
 * be reached (the role is granted all the same), the servers apply it within AUTH_CACHE_SECONDS.
 * Connecting and each command are bounded as in the server (core/redis.ts): a Redis that accepts the
 * connection and never answers is one that cannot be reached, not a wait without end.
 */
export async function grantRoleOnServers(
  dataSource: DataSource,
  { redisUrl, redisPrefix, redisCommandTimeoutMs }: Pick<Config, "redisUrl" | "redisPrefix" | "redisCommandTimeoutMs">,
  username: string,
  role: string,
): Promise<"servers told" | "servers not told" | "no such account"> {
  if (!(await grantRole(dataSource, username, role))) return "no such account";
  if (!redisUrl) return "servers not told";
  // One attempt: a script has no later to reconnect for.
  const redis = new Redis(redisUrl, { ...boundedRedisOptions(redisCommandTimeoutMs), retryStrategy: () => null });
  redis.on("error", () => undefined); // answered below
  try {
    // connect() waits for Redis's answer to its ready check, which a hung Redis never gives.
    if ((await withinDeadline(redis.connect(), START_WAIT_MS)) === PAST_DEADLINE) return "servers not told";
    // grantRole updates by criteria, so which account is not at hand: every account's rows go.
    await publishInvalidation(redis, redisPrefix, "account:grant-role", {
      table: dataSource.getMetadata(AccountEntity).tableName,
      accountIds: null,
      ids: null,
    });
    return "servers told";
  } catch {
    return "servers not told";
  } finally {
    // On a connection that never opened, disconnect() waits 2 s for a close event that has been and gone.
    if (redis.status !== "end") redis.disconnect();
  }
}

/**
 * `npm run account:grant-role -- <username> [SUPPORT]`: gives an existing account a role. The exit
 * code: 0 done and the servers told (or no Redis to tell them through), 1 no such account, 2 usage,
 * 3 granted but REDIS_URL did not answer, so the servers apply it only within AUTH_CACHE_SECONDS.
 */
export async function grantRoleCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [username, role = SUPPORT_ROLE] = args;
  if (!username || role !== SUPPORT_ROLE) {
    console.error(`usage: npm run account:grant-role -- <username> [${SUPPORT_ROLE}]`);
    return 2;
  }
  const config = loadConfig(env);
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const outcome = await grantRoleOnServers(dataSource, config, username, role);
    if (outcome === "no such account") {
      console.log(`no account named ${username}`);
      return 1;
    }
    if (outcome === "servers told" || !config.redisUrl) {
      console.log(
        outcome === "servers told"
          ? `${username} now has the ${role} role`
          : `${username} now has the ${role} role (servers apply it within AUTH_CACHE_SECONDS, ${config.authCacheSeconds} s)`,
      );
      return 0;
    }
    console.error(
      `${username} now has the ${role} role, but Redis (REDIS_URL) could not be reached or did not answer in time, so the servers were not told: they apply it within AUTH_CACHE_SECONDS, ${config.authCacheSeconds} s`,
    );
    return 3;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  void grantRoleCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
