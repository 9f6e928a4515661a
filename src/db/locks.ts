import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";

/**
 * Holds a lock on `name` until the caller's transaction ends, so check-then-write steps on one
 * thing take turns: on PostgreSQL a transaction-scoped advisory lock keyed by the name's hash;
 * SQLite's transactions already take turns (src/db/transactions.ts).
 */
export async function lockUntilCommit(manager: EntityManager, name: string): Promise<void> {
  if (manager.connection.options.type !== "postgres") return;
  const key = createHash("sha256").update(name).digest().readBigInt64BE(0);
  await manager.query("SELECT pg_advisory_xact_lock($1::bigint)", [key.toString()]);
}
