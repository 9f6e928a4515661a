import "reflect-metadata";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import { loadConfig } from "../config";
import { createDataSource } from "../db/data-source";
import { publishCacheClear } from "../db/lookup-cache";
import { grantRole, SUPPORT_ROLE } from "../modules/admin/admin.service";

/**
 * Grants the role, then tells the servers sharing `redisUrl` to drop the account rows they cached for
 * authentication, so the role works on the user's next request: this process is not one of them, and
 * its write reaches their caches no other way. Without Redis it takes effect within AUTH_CACHE_SECONDS.
 * Returns false when there is no such account.
 */
export async function grantRoleOnServers(dataSource: DataSource, redisUrl: string | undefined, username: string, role: string): Promise<boolean> {
  if (!(await grantRole(dataSource, username, role))) return false;
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await publishCacheClear(redis);
    } finally {
      redis.disconnect();
    }
  }
  return true;
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
    const granted = await grantRoleOnServers(dataSource, config.redisUrl, username, role);
    if (!granted) console.log(`no account named ${username}`);
    else if (config.redisUrl) console.log(`${username} now has the ${role} role`);
    else console.log(`${username} now has the ${role} role (servers without REDIS_URL apply it within AUTH_CACHE_SECONDS, ${config.authCacheSeconds} s)`);
    process.exitCode = granted ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) void main();
