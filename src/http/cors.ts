import type { FastifyCorsOptions } from "@fastify/cors";
import type { Config } from "../config";

/**
 * Request headers a browser app on another origin may send: ours, what Apollo Client and its
 * persisted-query and operation-name links add, and the usual tracing headers (W3C trace context
 * and baggage, Sentry). A header missing here fails the app's preflight and so every request.
 */
export const CORS_ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Apollo-Require-Preflight",
  "X-Apollo-Operation-Name",
  "Apollographql-Client-Name",
  "Apollographql-Client-Version",
  "Apollo-Client-Name",
  "Apollo-Client-Version",
  "Traceparent",
  "Tracestate",
  "Baggage",
  "Sentry-Trace",
  "X-Request-Id",
];

/**
 * Tokens travel in the Authorization header, never in cookies, so by default any origin may call the
 * API: a page on another origin gains nothing it does not already hold. CORS_ORIGINS narrows it.
 */
export function corsOptions(config: Config["http"]): FastifyCorsOptions {
  return {
    origin: config.corsOrigins === "*" ? "*" : [...config.corsOrigins],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    maxAge: 600,
  };
}
