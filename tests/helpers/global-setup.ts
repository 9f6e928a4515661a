import { ensurePostgresRunning, TEST_DATABASE } from "./databases";

export default async function globalSetup(): Promise<void> {
  if (TEST_DATABASE === "postgres") await ensurePostgresRunning();
}
