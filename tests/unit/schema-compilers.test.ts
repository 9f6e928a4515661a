import Fastify from "fastify";
import { SCHEMA_COMPILERS_ON_FIRST_USE } from "../../src/http/schema-compilers";

/** The server's Fastify loads its JSON-schema compilers on first use: a route that declares a schema still gets them. */
describe("Fastify's schema compilers, loaded on first use", () => {
  const app = Fastify({ schemaController: { compilersFactory: SCHEMA_COMPILERS_ON_FIRST_USE } });
  app.post(
    "/echo",
    {
      schema: {
        body: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 5 } } },
        response: { 200: { type: "object", properties: { name: { type: "string" } } } },
      },
    },
    (req) => Promise.resolve({ ...(req.body as object), secret: "left out by the response schema" }),
  );
  let url: string;
  beforeAll(async () => {
    url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/echo`;
  });
  afterAll(() => app.close());

  const post = (body: unknown) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("validates a body against the route's schema", async () => {
    const response = await post({ name: "far too long" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "FST_ERR_VALIDATION" });
  });

  it("serializes an answer with the route's response schema", async () => {
    const response = await post({ name: "alice" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"name":"alice"}');
  });
});
