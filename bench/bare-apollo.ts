/**
 * The baseline for `me`: a bare @apollo/server on the same HTTP stack as src/server.ts (Fastify 5,
 * @as-integrations/fastify, the same @fastify/cors settings and 100 kB body limit, CSRF prevention
 * on, the drain plugin, cache-control plugin off and `Cache-Control: no-store` set by a hook, landing
 * page off) answering `{ me { id username avatarUrl createdAt } }` with a constant.
 * No database, no type-graphql, no authentication lookup, no query-limits plugin, no logging.
 *
 * Started as its own process by bench/run.ts: `PORT=... node dist/bench/bare-apollo.js`.
 */
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import fastifyCors from "@fastify/cors";
import Fastify, { type FastifyRequest } from "fastify";

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
  const app = Fastify({ bodyLimit: 100 * 1024, trustProxy: false });
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers: { Query: { me: (_root: unknown, _args: unknown, context: Context) => (context.token ? ME : null) } },
    includeStacktraceInErrorResponses: false,
    introspection: false,
    csrfPrevention: true,
    plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  app.get("/healthz", () => ({ ok: true }));
  // src/server.ts's registerGraphQL, written out so that this process loads none of the server's modules.
  await app.register(async (api) => {
    await api.register(fastifyCors, {
      origin: "*",
      allowedHeaders: ["Authorization", "Content-Type", "Apollo-Require-Preflight"],
      maxAge: 600,
    });
    api.addHook("onRequest", async (_req, reply) => {
      reply.header("Cache-Control", "no-store");
    });
    await api.register(fastifyApollo(apollo), {
      path: "/graphql",
      method: ["GET", "POST"],
      // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's context function must return a Promise
      context: async (req: FastifyRequest): Promise<Context> => {
        const header = req.headers.authorization;
        const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
        return { token: match ? match[1] : null };
      },
    });
  });
  const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
  console.log(`bare apollo listening on ${address}/graphql`);
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
