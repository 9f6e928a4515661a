import type { FastifyRequest } from "fastify";
import { ipBudgetKey } from "../core/ip-key";
import type { RateLimiter } from "../core/rate-limiter";
import { AppError } from "../errors";

function persistedQueryOf(extensions: unknown): unknown {
  return extensions !== null && typeof extensions === "object" ? (extensions as Record<string, unknown>).persistedQuery : undefined;
}

/**
 * A request that sends query text with its persisted-query hash registers the text (Apollo stores it,
 * once it has passed the query-size check and validation, for PERSISTED_QUERY_TTL_SECONDS). Each
 * registration spends a point of the client IP's budget, reserved before Apollo runs; past the budget
 * the request still runs, as a plain query whose text is not stored, so a client sending many distinct
 * queries fills no more of Redis than its budget lets it.
 */
export async function limitPersistedQueryRegistration(
  req: FastifyRequest,
  params: { query?: unknown; extensions?: unknown },
  registrations: RateLimiter,
): Promise<void> {
  if (typeof params.query !== "string" || persistedQueryOf(params.extensions) === undefined) return;
  try {
    await registrations.consume(ipBudgetKey(req.ip));
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "RATE_LIMITED") throw error;
    const rest = { ...(params.extensions as Record<string, unknown>) };
    delete rest.persistedQuery;
    if (req.method === "GET") (req.query as Record<string, unknown>).extensions = JSON.stringify(rest);
    else (req.body as Record<string, unknown>).extensions = rest;
  }
}
