/**
 * The baseline for `me`: a bare @apollo/server on the same HTTP stack as src/server.ts (Express 5,
 * @as-integrations/express5, the same cors and JSON body middleware, CSRF prevention on, the drain
 * plugin, cache-control plugin off and `Cache-Control: no-store` set by hand, landing page off)
 * answering `{ me { id username avatarUrl createdAt } }` with a constant.
 * No database, no type-graphql, no authentication lookup, no query-limits plugin, no logging.
 *
 * Started as its own process by bench/run.ts: `PORT=... node dist/bench/bare-apollo.js`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";

const typeDefs = /* GraphQL */ `
  type Account {
    id: ID!
    username: String!
    avatarUrl: String
    createdAt: String!
  }
  type Query {
    me: Account
  }
`;

const ME = {
  id: "7d0c2f52-1f0e-4c55-9a39-3c1f0b6d2a11",
  username: "user0000001",
  avatarUrl: "https://cdn.example.com/avatars/1.png",
  createdAt: "2025-01-01T00:00:00.000Z",
};

interface Context {
  readonly token: string | null;
}

async function main(): Promise<void> {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers: { Query: { me: (_root: unknown, _args: unknown, context: Context) => (context.token ? ME : null) } },
    includeStacktraceInErrorResponses: false,
    introspection: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    "/graphql",
    cors({ origin: "*", allowedHeaders: ["Authorization", "Content-Type", "Apollo-Require-Preflight"], maxAge: 600 }),
    // src/server.ts's noStore, written out so that this process loads none of the server's modules.
    (_req, res, next) => {
      res.setHeader("Cache-Control", "no-store");
      next();
    },
    express.json({ limit: "100kb" }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<Context> => {
        const header = req.headers.authorization;
        const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
        return { token: match ? match[1] : null };
      },
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  console.log(`bare apollo listening on http://127.0.0.1:${port}/graphql`);
  const shutdown = async () => {
    await apollo.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
