import type { DataSource, EntityManager } from "typeorm";
import { AsyncMutex } from "../core/async-mutex";

export type TransactionRunner = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

/**
 * Runs one workflow step in one transaction.
 *
 * TypeORM's better-sqlite3 driver shares a single connection, so two concurrent transactions would
 * silently nest as savepoints of each other; on SQLite, transactions therefore take turns (SQLite
 * allows one writer at a time anyway). PostgreSQL gives each transaction its own pooled connection.
 */
export function createTransactionRunner(dataSource: DataSource): TransactionRunner {
  if (dataSource.options.type !== "better-sqlite3") {
    return (work) => dataSource.transaction(work);
  }
  const mutex = new AsyncMutex();
  return (work) => mutex.run(() => dataSource.transaction(work));
}
