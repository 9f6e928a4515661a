import "reflect-metadata";
import { loadConfig } from "../config";
import { createDataSource } from "../db/data-source";
import { grantRole, SUPPORT_ROLE } from "../modules/admin/admin.service";

/** `npm run account:grant-role -- <username> [SUPPORT]`: gives an existing account a role. */
async function main(): Promise<void> {
  const [username, role = SUPPORT_ROLE] = process.argv.slice(2);
  if (!username || role !== SUPPORT_ROLE) {
    console.error(`usage: npm run account:grant-role -- <username> [${SUPPORT_ROLE}]`);
    process.exit(2);
  }
  const dataSource = createDataSource(loadConfig().database);
  await dataSource.initialize();
  try {
    const granted = await grantRole(dataSource, username, role);
    console.log(granted ? `${username} now has the ${role} role` : `no account named ${username}`);
    process.exitCode = granted ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

void main();
