/**
 * The ceiling: @apollo/server's own `startStandaloneServer` (node http, no framework) answering
 * `{ hello }` with a constant, in production mode (no landing page). No database, no
 * authentication, no schema of ours: the most a GraphQL request can reach on this machine.
 *
 * Started as its own process by bench/run.ts: `PORT=... node dist/bench/standalone-apollo.js`.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

async function main(): Promise<void> {
  const apollo = new ApolloServer({
    typeDefs: "type Query { hello: String! }",
    resolvers: { Query: { hello: () => "world" } },
  });
  const { url } = await startStandaloneServer(apollo, { listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" } });
  console.log(`standalone apollo listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
