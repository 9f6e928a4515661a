import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Negotiator from "negotiator";
import type { Logger } from "./core/logger";

/** Paths the server answers itself; everything else that asks for a page gets the SPA. */
const SERVER_PATHS = /^\/(graphql|graphiql|healthz|livez|readyz|metrics|dev)(\/|$)/;

/**
 * The page may talk only to this origin, show avatars from anywhere over http(s), and never be
 * framed. `no-referrer` keeps an OAuth callback's code and state out of other sites' logs.
 */
const PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** Answers a request no route and no file served with index.html, or returns null when it is not asking for a page. */
export type PageFallback = (req: FastifyRequest, reply: FastifyReply) => FastifyReply | null;

function pathOf(req: FastifyRequest): string {
  const query = req.url.indexOf("?");
  return query < 0 ? req.url : req.url.slice(0, query);
}

/**
 * Serves the built account center (web/dist) at `/`: hashed assets for a year, index.html never
 * cached and returned for every client-side route (/security, /oauth/callback, ...).
 * Returns null when there is no build, so the caller can say how to make one.
 */
export async function registerWebApp(app: FastifyInstance, dir: string, logger: Logger): Promise<PageFallback | null> {
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    logger.warn({ dir }, "account center not built (run npm run build:web); serving the API only");
    return null;
  }
  // Loaded only when there is something to serve (with glob and send, ~50 ms of CPU at start).
  const { default: fastifyStatic } = await import("@fastify/static");
  app.addHook("onRequest", async (req, reply) => {
    if (!SERVER_PATHS.test(pathOf(req))) reply.headers(PAGE_HEADERS);
  });
  // A path ending in "/" is a client-side route, not a directory listing to refuse.
  await app.register(fastifyStatic, { root: dir, index: false, maxAge: 0, allowedPath: (pathname) => !pathname.endsWith("/") });
  await app.register(fastifyStatic, {
    root: path.join(dir, "assets"),
    prefix: "/assets/",
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: "365d",
  });
  return (req, reply) => {
    const pathname = pathOf(req);
    const wantsPage =
      (req.method === "GET" || req.method === "HEAD") &&
      !SERVER_PATHS.test(pathname) &&
      !pathname.startsWith("/assets/") &&
      new Negotiator(req.raw).mediaType(["text/html"]) !== undefined;
    return wantsPage ? reply.header("Cache-Control", "no-cache").sendFile("index.html", { cacheControl: false }) : null;
  };
}
