import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { BackgroundTasks } from "./core/background";
import type { Clock } from "./core/clock";
import { resolveDataKey } from "./core/data-key";
import { connectRedis } from "./core/redis";
import type { Logger } from "./core/logger";
import { ERROR_CODES, createErrorFormatter } from "./errors";
import type { RequestContext, RequestMeta } from "./graphql/context";
import { queryLimitsPlugin } from "./graphql/query-limits";
import { createIdentityVerifiers } from "./providers/identity/registry";
import { createOAuthProviders } from "./providers/oauth/registry";
import { createProviders, devStandIns } from "./providers/registry";
import { isAllowedRedirect } from "./core/redirect-origins";
import { buildAppSchema } from "./schema";
import { createServices } from "./services";
import { mountWebApp } from "./web-app";

export interface ServerDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Initialized, with migrations run. */
  readonly dataSource: DataSource;
}

export interface RunningServer {
  readonly url: string;
  /** Where the account center is served, or null when it is not built. */
  readonly webAppUrl: string | null;
  /** Stops accepting requests, finishes those in flight and background work, and closes Redis (not the DataSource). */
  stop(): Promise<void>;
}

const MAX_USER_AGENT = 512;

/** Answers carry tokens, secrets and personal data: no browser or proxy cache may keep them. */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : null;
}

/**
 * IP and user agent, worked out when first asked for: most requests are reads that never write
 * them, and `req.ip` under `trust proxy` parses X-Forwarded-For on every call. Everything that
 * writes them reads them before the response is sent (the one background task that uses them,
 * password reset, rate-limits by IP first), while the socket still has its address.
 */
class LazyRequestMeta implements RequestMeta {
  private knownIp: string | null | undefined;
  private knownUserAgent: string | null | undefined;

  constructor(private readonly req: express.Request) {}

  get ip(): string | null {
    if (this.knownIp === undefined) this.knownIp = this.req.ip ?? null;
    return this.knownIp;
  }

  get userAgent(): string | null {
    if (this.knownUserAgent === undefined) this.knownUserAgent = this.req.get("user-agent")?.slice(0, MAX_USER_AGENT) ?? null;
    return this.knownUserAgent;
  }
}

/**
 * Express's own handler answers a body that is too large or not JSON (and a missing asset) with
 * an HTML page holding the stack trace; this answers in GraphQL's error shape instead, with no
 * internal text.
 */
function requestErrorHandler(logger: Logger): express.ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    const clientError = typeof status === "number" && status >= 400 && status < 500;
    if (!clientError) logger.error({ err: error }, "unexpected error outside GraphQL");
    const code = clientError ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
    const message = !clientError ? ERROR_CODES.INTERNAL_SERVER_ERROR
      : status === 413 ? "The request body is too large (at most 100 kB)."
      : status === 404 ? "Not found."
      : "The request body is not valid JSON.";
    res.status(clientError ? status : 500).json({ errors: [{ message, extensions: { code } }] });
  };
}

export async function startServer({ config, logger, clock, dataSource }: ServerDeps): Promise<RunningServer> {
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisCommandTimeoutMs, logger) : undefined;
  const providers = createProviders(config, logger, clock);
  const oauth = createOAuthProviders(config, clock);
  const identity = createIdentityVerifiers(config, clock);
  const standIns = [
    ...devStandIns(providers),
    ...[...oauth.devStandIns.keys()].map((kind) => `${kind} (dev OAuth)`),
    ...(identity.devStandIn ? ["IDENTITY_PROVIDER=dev"] : []),
  ];
  if (standIns.length) {
    logger.warn({ standIns }, `DEV STAND-IN PROVIDERS ACTIVE (${standIns.join(", ")}): their messages are written to this log, nothing is delivered`);
  }
  const background = new BackgroundTasks(logger);
  const dataKey = await resolveDataKey(config, logger, dataSource);
  const { container, authenticate, dispose } = createServices({ config, clock, logger, dataSource, redis, providers, oauth, identity, background, dataKey });
  const schema = await buildAppSchema(container);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: config.graphql.introspection,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      queryLimitsPlugin(schema, config.graphql),
      // Every answer is private to one account and must never be stored (see noStore below); Apollo's
      // cache-control plugin would work that out for each field of each request to say the same.
      ApolloServerPluginCacheControlDisabled(),
      config.graphql.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  if (oauth.devStandIns.size > 0) {
    // The dev stand-ins' consent "page": the named fake person (?user=, default alice) agrees at once.
    app.get("/dev/oauth/:provider/authorize", (req, res) => {
      const provider = oauth.devStandIns.get(String(req.params.provider).toUpperCase() as never);
      const redirectUri = typeof req.query.redirect_uri === "string" ? req.query.redirect_uri : "";
      const state = typeof req.query.state === "string" ? req.query.state : "";
      const user = typeof req.query.user === "string" && /^[\w-]{1,32}$/.test(req.query.user) ? req.query.user : "alice";
      if (!provider || !isAllowedRedirect(redirectUri, config)) {
        res.status(400).type("text/plain").send("unknown provider or redirect_uri not allowed");
        return;
      }
      const back = new URL(redirectUri);
      back.searchParams.set(provider.kind === "ALIPAY" ? "auth_code" : "code", provider.consent(user, redirectUri));
      back.searchParams.set("state", state);
      res.redirect(302, back.toString());
    });
  }
  const devIdentity = identity.devStandIn;
  if (devIdentity) {
    // The dev stand-in's verification page: opening it passes the check (?result=fail fails it),
    // then sends the person back to the returnUrl given at the start, as Alipay does.
    app.get("/dev/identity/:reference", (req, res) => {
      const passed = req.query.result !== "fail";
      const finished = devIdentity.finish(String(req.params.reference), passed);
      if (finished?.returnUrl) {
        res.redirect(302, finished.returnUrl);
        return;
      }
      res.status(finished ? 200 : 404).type("text/html; charset=utf-8")
        .send(finished ? `<p>实名认证${passed ? "已通过" : "未通过"}（开发替身）/ Verification ${passed ? "passed" : "failed"} (dev stand-in)</p>` : "<p>unknown verification</p>");
    });
  }
  app.use(
    "/graphql",
    // Tokens travel in the Authorization header, never in cookies, so any origin may call the API:
    // a page on another origin gains nothing it does not already hold.
    cors({ origin: "*", allowedHeaders: ["Authorization", "Content-Type", "Apollo-Require-Preflight"], maxAge: 600 }),
    noStore,
    express.json({ limit: "100kb" }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const token = bearerToken(req.headers.authorization);
        return { meta: new LazyRequestMeta(req), auth: token ? await authenticate(token) : null };
      },
    }),
  );

  const webApp = mountWebApp(app, config.webAppDir, logger);
  app.use(requestErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${port}/graphql`,
    webAppUrl: webApp ? `http://${host}:${port}/` : null,
    async stop() {
      await apollo.stop();
      await background.drain();
      dispose();
      redis?.disconnect();
    },
  };
}
