import { createHash } from "node:crypto";
import Redis from "ioredis";
import { REDIS_URL, uniqueRedisPrefix } from "./helpers/databases";
import { sameDatabaseAs, startTestApp, type TestApp } from "./helpers/test-server";

/**
 * Automatic persisted queries: a client sends only the query's sha256 and, when the server answers
 * PERSISTED_QUERY_NOT_FOUND, the text with it once. With REDIS_URL the registry is shared, so behind
 * a load balancer the next process knows the hash too.
 */
const QUERY = "query Providers { providers { kind enabled } }";
const HASH = createHash("sha256").update(QUERY).digest("hex");
const persisted = { persistedQuery: { version: 1, sha256Hash: HASH } };

async function post(app: TestApp, body: unknown): Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }> {
  const response = await fetch(app.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

describe("with Redis, two servers of one deployment", () => {
  const prefix = uniqueRedisPrefix();
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp({ REDIS_URL, REDIS_PREFIX: prefix });
    second = await startTestApp({ ...sameDatabaseAs(first), REDIS_URL, REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    const redis = new Redis(REDIS_URL);
    await redis.del(`${prefix}:apq:${HASH}`);
    redis.disconnect();
  });

  it("know a query registered with either of them", async () => {
    expect((await post(second, { extensions: persisted })).errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await post(first, { query: QUERY, extensions: persisted });
    expect(registered.errors).toBeUndefined();
    const byHash = await post(second, { extensions: persisted });
    expect(byHash).toEqual(registered);
  });

  it("keep it in Redis under the deployment's prefix, with an expiry", async () => {
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.get(`${prefix}:apq:${HASH}`)).toBe(QUERY);
      expect(await redis.ttl(`${prefix}:apq:${HASH}`)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});

describe("without Redis", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it("keeps the registry in the process", async () => {
    expect((await post(app, { extensions: persisted })).errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    await post(app, { query: QUERY, extensions: persisted });
    expect((await post(app, { extensions: persisted })).errors).toBeUndefined();
  });
});
