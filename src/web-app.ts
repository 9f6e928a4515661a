import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { Logger } from "./core/logger";

/** Paths the server answers itself; everything else that asks for a page gets the SPA. */
const SERVER_PATHS = /^\/(graphql|healthz|dev)(\/|$)/;

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

/**
 * Serves the built account center (web/dist) at `/`: hashed assets for a year, index.html never
 * cached and returned for every client-side route (/security, /oauth/callback, ...).
 * Returns false when there is no build, so the caller can say how to make one.
 */
export function mountWebApp(app: express.Express, dir: string, logger: Logger): boolean {
  const index = path.join(dir, "index.html");
  if (!fs.existsSync(index)) {
    logger.warn({ dir }, "account center not built (run npm run build:web); serving the API only");
    return false;
  }
  app.use((req, res, next) => {
    if (!SERVER_PATHS.test(req.path)) res.set(PAGE_HEADERS);
    next();
  });
  app.use(
    "/assets",
    express.static(path.join(dir, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }),
  );
  app.use(express.static(dir, { index: false, maxAge: 0 }));
  app.get(/.*/, (req, res, next) => {
    if (SERVER_PATHS.test(req.path) || !req.accepts("html")) {
      next();
      return;
    }
    res.set("Cache-Control", "no-cache").sendFile(index);
  });
  return true;
}
