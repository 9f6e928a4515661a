import { ensurePostgresRunning, ensureRedisRunning, TEST_DATABASE } from "./databases";

/** Starts the local services the suite needs when they are down (see docs/contributing.md, "Tests"). */
export default async function globalSetup(): Promise<void> {
  await ensureRedisRunning();
  if (TEST_DATABASE === "postgres") await ensurePostgresRunning();
}
