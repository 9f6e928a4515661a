import { performance } from "node:perf_hooks";
import type { ApolloServer, ApolloServerPlugin } from "@apollo/server";
import { fastifyApolloHandler } from "@as-integrations/fastify";
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { PAST_DEADLINE, withinDeadline } from "../core/deadline";
import type { Logger } from "../core/logger";
import type { Metrics } from "../core/metrics";
import { AppError } from "../errors";
import type { RequestContext } from "../graphql/context";
import { sendError } from "./reply";

/** What one request came to, filled in by Apollo (through the plugin) as it answers. */
interface Outcome {
  operation?: string | null;
  code?: string;
}

/** On the context, where Apollo's plugins see it: Apollo hands them a shallow copy, which keeps symbol keys. */
const OUTCOME = Symbol("outcome");
type ObservedContext = RequestContext & { [OUTCOME]?: Outcome };

/**
 * The /graphql handler: Apollo's, bounded by `timeoutMs` and observed for /metrics.
 *
 * Past the deadline the request is answered SERVICE_UNAVAILABLE (HTTP 503) at once; the work Apollo
 * started runs on to its own end (a resolver cannot be stopped from outside) and its late answer is
 * dropped. Every dependency has a deadline of its own, so that work ends too.
 */
export class GraphQLRoute {
  private readonly byRequest = new WeakMap<FastifyRequest, Outcome>();

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  /** Notes each request's resolved operation name and first error code. */
  plugin(): ApolloServerPlugin<RequestContext> {
    return {
      // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's plugin hooks must return a Promise
      async requestDidStart() {
        return {
          // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's plugin hooks must return a Promise
          async willSendResponse({ contextValue, operationName, response }) {
            const outcome = (contextValue as ObservedContext)[OUTCOME];
            if (!outcome) return;
            const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
            outcome.operation = operationName;
            const code = errors?.length ? errors[0].extensions?.code : "OK";
            outcome.code = typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
          },
        };
      },
    };
  }

  handler(apollo: ApolloServer<RequestContext>, context: (req: FastifyRequest) => Promise<RequestContext>): RouteHandlerMethod {
    const apolloHandler: RouteHandlerMethod = fastifyApolloHandler(apollo, {
      context: async (req: FastifyRequest) => {
        const value: ObservedContext = await context(req);
        value[OUTCOME] = this.byRequest.get(req);
        return value;
      },
    }) as RouteHandlerMethod;
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const started = performance.now();
      const outcome: Outcome = {};
      this.byRequest.set(req, outcome);
      try {
        const answer = await withinDeadline(Promise.resolve(apolloHandler.call(reply.server, req, reply)), this.timeoutMs);
        if (answer !== PAST_DEADLINE) return answer;
        outcome.code = "SERVICE_UNAVAILABLE";
        this.logger.warn(
          { operation: outcome.operation ?? operationNameOf(req), timeoutMs: this.timeoutMs },
          "request deadline passed; answered SERVICE_UNAVAILABLE",
        );
        return sendError(reply, 503, new AppError("SERVICE_UNAVAILABLE"));
      } finally {
        const code = outcome.code ?? (reply.statusCode >= 400 ? "BAD_REQUEST" : "OK");
        this.metrics.observeRequest(
          this.metrics.operationLabel(outcome.operation ?? operationNameOf(req)),
          code,
          (performance.now() - started) / 1000,
        );
      }
    };
  }
}

/** The operation name the client sent, for requests Apollo has not resolved (yet). */
function operationNameOf(req: FastifyRequest): string | undefined {
  const source = req.method === "GET" ? req.query : req.body;
  const name = (source as { operationName?: unknown } | null | undefined)?.operationName;
  return typeof name === "string" ? name : undefined;
}
