import "reflect-metadata";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../config";
import { createDataSource } from "../db/data-source";
import { publishInvalidation } from "../db/lookup-cache";
import { AccountEntity } from "../entities/account.entity";
import { grantRole, SUPPORT_ROLE } from "../modules/admin/admin.service";

/**
 * Grants the role, then tells the servers sharing `redisUrl` and `redisPrefix` to drop the account
 * rows they cached for authentication, so the role works on the user's next request: this process is
 * not one of them, and its write reaches their caches no other way. Without Redis, or when it cannot
 * be reached (the role is granted all the same), the servers apply it within AUTH_CACHE_SECONDS.
 */
export async function grantRoleOnServers(
  dataSource: DataSource,
  { redisUrl, redisPrefix }: Pick<Config, "redisUrl" | "redisPrefix">,
  username: string,
  role: string,
): Promise<"servers told" | "servers not told" | "no such account"> {
  if (!(await grantRole(dataSource, username, role))) return "no such account";
  if (!redisUrl) return "servers not told";
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => undefined); // answered below
  try {
    await redis.connect();
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

/** `npm run account:grant-role -- <username> [SUPPORT]`: gives an existing account a role. */
async function main(): Promise<void> {
  const [username, role = SUPPORT_ROLE] = process.argv.slice(2);
  if (!username || role !== SUPPORT_ROLE) {
    console.error(`usage: npm run account:grant-role -- <username> [${SUPPORT_ROLE}]`);
    process.exit(2);
  }
  const config = loadConfig();
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const outcome = await grantRoleOnServers(dataSource, config, username, role);
    if (outcome === "no such account") console.log(`no account named ${username}`);
    else if (outcome === "servers told") console.log(`${username} now has the ${role} role`);
    else
      console.log(
        `${username} now has the ${role} role (servers apply it within AUTH_CACHE_SECONDS, ${config.authCacheSeconds} s${config.redisUrl ? ": Redis could not be reached" : ""})`,
      );
    process.exitCode = outcome === "no such account" ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) void main();
