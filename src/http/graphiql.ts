import type { FastifyInstance } from "fastify";
import { type GraphQLSchema, printSchema } from "graphql";
import { PAGE, RUNNER } from "./graphiql-page";

/** The page may run only its own script and talk only to this origin: nothing it needs is elsewhere. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * /graphiql: a query page that works with no network (Apollo Sandbox needs its CDN), with the schema
 * in SDL and a ready curl command. A plain page and forty lines of script rather than the GraphiQL
 * bundle: that would add React and an editor, megabytes, for a fallback. Served where Sandbox is.
 */
export function registerGraphiQL(app: FastifyInstance, schema: GraphQLSchema, publicOrigin: string): void {
  const page = PAGE.replace("__ORIGIN__", publicOrigin);
  const sdl = printSchema(schema);
  app.get("/graphiql", async (_req, reply) =>
    reply
      .headers({ "Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" })
      .type("text/html; charset=utf-8")
      .send(page),
  );
  app.get("/graphiql/runner.js", async (_req, reply) =>
    reply.header("Cache-Control", "no-cache").type("text/javascript; charset=utf-8").send(RUNNER),
  );
  app.get("/graphiql/schema.graphql", async (_req, reply) =>
    reply.header("Cache-Control", "no-cache").type("text/plain; charset=utf-8").send(sdl),
  );
}
