import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { InMemoryLRUCache } from "@apollo/utils.keyvaluecache";
import fastifyCors from "@fastify/cors";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import type { DocumentNode } from "graphql";
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { BackgroundTasks } from "./core/background";
import type { Clock } from "./core/clock";
import { resolveDataKey } from "./core/data-key";
import { connectRedis } from "./core/redis";
import { RedisKeyValueCache } from "./core/redis-key-value-cache";
import type { Logger } from "./core/logger";
import { Metrics, type PoolCounts } from "./core/metrics";
import type { RateLimiter } from "./core/rate-limiter";
import { isAllowedRedirect } from "./core/redirect-origins";
import { AppError, ERROR_CODES, createErrorFormatter } from "./errors";
import type { Authenticated, RequestContext, RequestMeta } from "./graphql/context";
import { queryLimitsPlugin, refuseBeforeParsing } from "./graphql/query-limits";
import { corsOptions } from "./http/cors";
import { closeConnectionsWhileDraining, DRAIN_OPTIONS } from "./http/drain";
import { registerGraphiQL } from "./http/graphiql";
import { GraphQLRoute } from "./http/graphql-route";
import { registerHealth } from "./http/health";
import { registerMetrics } from "./http/metrics";
import { SCHEMA_COMPILERS_ON_FIRST_USE } from "./http/schema-compilers";
import { limitPersistedQueryRegistration } from "./http/persisted-query-registrations";
import { sendError } from "./http/reply";
import { createIdentityVerifiers, type IdentityVerifiers } from "./providers/identity/registry";
import { instrumentProviders } from "./providers/instrument";
import { createOAuthProviders, type OAuthProviders } from "./providers/oauth/registry";
import { createProviders, devStandIns } from "./providers/registry";
import { buildAppSchema } from "./schema";
import { createServices } from "./services";
import { registerWebApp } from "./web-app";

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
const BODY_LIMIT_BYTES = 100 * 1024;
/**
 * Apollo keeps each distinct parsed document to skip parsing it again. A parsed document takes
 * about 50 times its text in heap, so the store is bounded by the text of what it keeps: about
 * 13 MB of heap at worst, and far more than the account center's own operations.
 */
const DOCUMENT_STORE_QUERY_BYTES = 256 * 1024;
/** Automatic persisted queries keep query texts sent with their hash: bounded the same way in memory. */
const PERSISTED_QUERY_BYTES = 1024 * 1024;
/** In Redis they are bounded by age instead; a client whose hash expired sends the text again. */
const PERSISTED_QUERY_TTL_SECONDS = 24 * 3600;

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

  constructor(private readonly req: FastifyRequest) {}

  get ip(): string | null {
    if (this.knownIp === undefined) this.knownIp = this.req.ip ?? null;
    return this.knownIp;
  }

  get userAgent(): string | null {
    if (this.knownUserAgent === undefined) this.knownUserAgent = this.req.headers["user-agent"]?.slice(0, MAX_USER_AGENT) ?? null;
    return this.knownUserAgent;
  }
}

/**
 * TRUST_PROXY with Express's meaning, which README documents: Fastify refuses a bare hop count
 * (it would trust any peer), so a count becomes the same function Express builds from it.
 */
function trustProxy(setting: Config["trustProxy"]): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_address, hop) => hop < setting : setting;
}

function parsedJson(text: unknown): unknown {
  try {
    return typeof text === "string" ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // Apollo refuses it as a bad request
  }
}

/** The GraphQL parameters of a POST's JSON body, or of a GET's query string (where variables and extensions are JSON text). */
function graphQLParams(req: FastifyRequest): { query?: unknown; variables?: unknown; extensions?: unknown } {
  if (req.method === "GET") {
    const params = req.query as Record<string, unknown>;
    return { query: params.query, variables: parsedJson(params.variables), extensions: parsedJson(params.extensions) };
  }
  // A batch (an array) is refused by Apollo as it is; a string is not JSON and refused too.
  return req.body !== null && typeof req.body === "object" && !Array.isArray(req.body) ? req.body : {};
}

/**
 * Fastify answers a body that is too large or not JSON (and @fastify/static a forbidden path) in its
 * own shape, with its internal error codes; this answers in GraphQL's error shape instead, with no
 * internal text.
 */
function handleRequestErrors(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, _req, reply) => {
    const status = error.statusCode;
    if (status === undefined || status < 400 || status >= 500) {
      logger.error({ err: error }, "unexpected error outside GraphQL");
      return sendError(reply, 500, new AppError("INTERNAL_SERVER_ERROR"));
    }
    const message =
      status === 413
        ? `The request body is too large (at most ${BODY_LIMIT_BYTES / 1024} kB).`
        : status === 415
          ? "Send the request as JSON (Content-Type: application/json)."
          : status === 400
            ? "The request body is not valid JSON."
            : // @fastify/static refuses a directory or a path that leaves its root with 403.
              status === 403 || status === 404
              ? "Not found."
              : ERROR_CODES.BAD_REQUEST.message;
    return sendError(reply, status, new AppError("BAD_REQUEST", {}, message));
  });
}

/** The dev stand-ins' pages: OAuth consent and real-name verification, on only where the stand-ins are. */
function registerDevStandIns(app: FastifyInstance, config: Config, oauth: OAuthProviders, identity: IdentityVerifiers): void {
  if (oauth.devStandIns.size > 0) {
    // The dev stand-ins' consent "page": the named fake person (?user=, default alice) agrees at once.
    app.get<{ Params: { provider: string }; Querystring: Record<string, unknown> }>(
      "/dev/oauth/:provider/authorize",
      async (req, reply) => {
        const provider = oauth.devStandIns.get(req.params.provider.toUpperCase() as never);
        const redirectUri = typeof req.query.redirect_uri === "string" ? req.query.redirect_uri : "";
        const state = typeof req.query.state === "string" ? req.query.state : "";
        const user = typeof req.query.user === "string" && /^[\w-]{1,32}$/.test(req.query.user) ? req.query.user : "alice";
        if (!provider || !isAllowedRedirect(redirectUri, config)) {
          return reply.code(400).type("text/plain").send("unknown provider or redirect_uri not allowed");
        }
        const back = new URL(redirectUri);
        back.searchParams.set(provider.kind === "ALIPAY" ? "auth_code" : "code", provider.consent(user, redirectUri));
        back.searchParams.set("state", state);
        return reply.redirect(back.toString(), 302);
      },
    );
  }
  const devIdentity = identity.devStandIn;
  if (devIdentity) {
    // The dev stand-in's verification page: opening it passes the check (?result=fail fails it),
    // then sends the person back to the returnUrl given at the start, as Alipay does.
    app.get<{ Params: { reference: string }; Querystring: Record<string, unknown> }>("/dev/identity/:reference", async (req, reply) => {
      const passed = req.query.result !== "fail";
      const finished = devIdentity.finish(req.params.reference, passed);
      if (finished?.returnUrl) return reply.redirect(finished.returnUrl, 302);
      return reply
        .code(finished ? 200 : 404)
        .type("text/html; charset=utf-8")
        .send(
          finished
            ? `<p>实名认证${passed ? "已通过" : "未通过"}（开发替身）/ Verification ${passed ? "passed" : "failed"} (dev stand-in)</p>`
            : "<p>unknown verification</p>",
        );
    });
  }
}

/**
 * POST (and preflighted GET) /graphql, with CORS and no-store on every answer, refusals included;
 * oversized query text and deeply nested variables are refused before Apollo parses or walks them.
 */
async function registerGraphQL(
  app: FastifyInstance,
  config: Config,
  apollo: ApolloServer<RequestContext>,
  route: GraphQLRoute,
  authenticate: (token: string) => Promise<Authenticated | null>,
  persistedQueryRegistrations: RateLimiter,
): Promise<void> {
  await app.register(async (api) => {
    await api.register(fastifyCors, corsOptions(config.http));
    // Answers carry tokens, secrets and personal data: no browser or proxy cache may keep them.
    api.addHook("onRequest", async (_req, reply) => {
      reply.header("Cache-Control", "no-store");
    });
    api.addHook("preHandler", async (req, reply) => {
      const params = graphQLParams(req);
      const refusal = refuseBeforeParsing(params, config.graphql.maxQueryBytes);
      if (refusal) return sendError(reply, 400, refusal);
      await limitPersistedQueryRegistration(req, params, persistedQueryRegistrations);
    });
    api.route({
      url: "/graphql",
      method: ["GET", "POST"],
      handler: route.handler(apollo, async (req: FastifyRequest): Promise<RequestContext> => {
        const token = bearerToken(req.headers.authorization);
        return { meta: new LazyRequestMeta(req), auth: token ? await authenticate(token) : null };
      }),
    });
  });
}

/** This server's metrics; on PostgreSQL they include pg's pool (TypeORM's driver holds it as `master`). */
function createMetrics(dataSource: DataSource): Metrics {
  const metrics = new Metrics();
  const pool = dataSource.options.type === "postgres" ? (dataSource.driver as unknown as { master?: PoolCounts }).master : undefined;
  if (pool) metrics.watchPool(() => pool);
  return metrics;
}

export async function startServer({ config, logger, clock, dataSource }: ServerDeps): Promise<RunningServer> {
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisCommandTimeoutMs, logger) : undefined;
  const metrics = createMetrics(dataSource);
  const { providers, oauth, identity } = instrumentProviders(
    createProviders(config, logger, clock),
    createOAuthProviders(config, clock),
    createIdentityVerifiers(config, clock),
    metrics,
  );
  const standIns = [
    ...devStandIns(providers),
    ...[...oauth.devStandIns.keys()].map((kind) => `${kind} (dev OAuth)`),
    ...(identity.devStandIn ? ["IDENTITY_PROVIDER=dev"] : []),
  ];
  if (standIns.length) {
    logger.warn(
      { standIns },
      `DEV STAND-IN PROVIDERS ACTIVE (${standIns.join(", ")}): their messages are written to this log, nothing is delivered`,
    );
  }
  const background = new BackgroundTasks(logger);
  const dataKey = await resolveDataKey(config, logger, dataSource);
  const { container, authenticate, persistedQueryRegistrations, dispose } = createServices({
    config,
    clock,
    logger,
    dataSource,
    redis,
    providers,
    oauth,
    identity,
    background,
    dataKey,
    metrics,
  });
  const schema = await buildAppSchema(container);

  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxy(config.trustProxy),
    // JSON.parse makes "__proto__" an own key and touches no prototype; graphql-js then refuses it as
    // an unknown input field, with the same codes and order of checks as any other bad variable.
    onProtoPoisoning: "ignore",
    onConstructorPoisoning: "ignore",
    schemaController: { compilersFactory: SCHEMA_COMPILERS_ON_FIRST_USE },
    ...DRAIN_OPTIONS,
  });
  const route = new GraphQLRoute(metrics, logger, config.http.requestTimeoutMs);
  let draining = false;

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: config.graphql.introspection,
    // Without introspection the schema is not public: no "Did you mean ...?" in validation errors either.
    hideSchemaDetailsFromClientErrors: !config.graphql.introspection,
    csrfPrevention: true,
    documentStore: new InMemoryLRUCache<DocumentNode>({
      maxSize: DOCUMENT_STORE_QUERY_BYTES,
      sizeCalculation: (document) => document.loc?.end ?? 1,
    }),
    // Shared through Redis when there is one, so a query registered with one process is known to all.
    persistedQueries: {
      cache: redis ? new RedisKeyValueCache(redis, config.redisPrefix) : new InMemoryLRUCache<string>({ maxSize: PERSISTED_QUERY_BYTES }),
      ttl: redis ? PERSISTED_QUERY_TTL_SECONDS : null,
    },
    // main.ts owns SIGTERM and SIGINT: Apollo's own handler would stop it and then kill the process mid-drain.
    stopOnTerminationSignals: false,
    plugins: [
      route.plugin(),
      queryLimitsPlugin(schema, config.graphql),
      // Every answer is private to one account and must never be stored (see registerGraphQL); Apollo's
      // cache-control plugin would work that out for each field of each request to say the same.
      ApolloServerPluginCacheControlDisabled(),
      // Pinned off: nothing about operations leaves the server, even if APOLLO_KEY is set in the environment.
      ApolloServerPluginUsageReportingDisabled(),
      // Inline traces are for federated subgraphs, which this schema is not: without this, Apollo loads
      // the plugin and its protobuf code at every start only to find it has nothing to do.
      ApolloServerPluginInlineTraceDisabled(),
      config.graphql.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  handleRequestErrors(app, logger);
  closeConnectionsWhileDraining(app, () => draining);
  registerHealth(app, { dataSource, redis, draining: () => draining });
  registerMetrics(app, metrics, config.http.metricsToken);
  if (config.graphql.sandbox) registerGraphiQL(app, schema, config.publicOrigin);
  registerDevStandIns(app, config, oauth, identity);
  await registerGraphQL(app, config, apollo, route, authenticate, persistedQueryRegistrations);
  const pageFallback = await registerWebApp(app, config.webAppDir, logger);
  app.setNotFoundHandler(
    (req, reply) => pageFallback?.(req, reply) ?? sendError(reply, 404, new AppError("BAD_REQUEST", {}, "Not found.")),
  );

  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as { port: number };
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${port}/graphql`,
    webAppUrl: pageFallback ? `http://${host}:${port}/` : null,
    async stop() {
      draining = true;
      // Unready but still answering: a load balancer watching /readyz moves away before the listener
      // closes, since a connection still in the kernel's queue when it closes is reset, not refused.
      await new Promise((resolve) => setTimeout(resolve, config.http.shutdownDelaySeconds * 1000));
      // Past the grace, whatever is still open is cut, so the process can exit.
      const cut = setTimeout(() => app.server.closeAllConnections(), config.http.shutdownGraceSeconds * 1000).unref();
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
      await apollo.stop();
      await background.drain();
      dispose();
      redis?.disconnect();
    },
  };
}
