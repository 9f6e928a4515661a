import path from "node:path";
import { int, problem, settingsGroup, text } from "../core/env-settings";

const FALLBACK_URL = "sqlite:data/account.sqlite";

export const databaseSettings = settingsGroup("Database", {
  DATABASE_URL: text(FALLBACK_URL, { description: "`sqlite:<file>` or `postgres://user@host:port/db`" }),
  DATABASE_SCHEMA: text(undefined, {
    description:
      "PostgreSQL schema to use (through `search_path`), a lower-case SQL identifier; created at start-up when missing " +
      "([Running in production](operations.md#running-in-production))",
    default: "the user's default (`public`)",
  }),
  DATABASE_POOL_SIZE: int(1, 1000, 10, {
    description: "PostgreSQL connections each process keeps at most: processes × this must stay under the server's `max_connections`",
  }),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 600_000, 5000, {
    description: "longest wait to open a PostgreSQL connection or to get a free one from a full pool; past it `SERVICE_UNAVAILABLE`",
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 3_600_000, 10_000, {
    description:
      "PostgreSQL's `statement_timeout` for the server's statements (not migrations), and the server's own wait, a second " +
      "longer, for a PostgreSQL that stops answering; past it `SERVICE_UNAVAILABLE`",
  }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(100, 3_600_000, 10_000, {
    description: "PostgreSQL's `idle_in_transaction_session_timeout`: a transaction left open without a statement this long is ended",
  }),
}).transform((values, ctx) => {
  const url = values.DATABASE_URL;
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length);
    if (file === "") problem(ctx.issues, "DATABASE_URL", "sqlite:<file> needs a file name", url);
    return { kind: "sqlite" as const, file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const schema = values.DATABASE_SCHEMA;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      problem(ctx.issues, "DATABASE_SCHEMA", `must be a lower-case SQL identifier (got "${schema}")`, schema);
    }
    const limits = {
      poolSize: values.DATABASE_POOL_SIZE,
      /** Opening a connection, or waiting for a free one in the pool. */
      connectTimeoutMs: values.DATABASE_CONNECT_TIMEOUT_MS,
      /** One statement (PostgreSQL's statement_timeout, and the same wait on our side for a server that stopped answering). */
      statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
      /** A transaction left open without a statement (idle_in_transaction_session_timeout). */
      idleInTransactionTimeoutMs: values.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    };
    return { kind: "postgres" as const, url, schema, limits };
  }
  // The URL may hold a password: the problem shows it masked.
  problem(ctx.issues, "DATABASE_URL", `must be sqlite:<file> or postgres://... (got "${url.replace(/:[^:@/]*@/, ":***@")}")`, url);
  return { kind: "sqlite" as const, file: path.resolve(FALLBACK_URL.slice("sqlite:".length)) };
});
