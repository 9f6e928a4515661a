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

describe("registrations, bounded", () => {
  const prefix = uniqueRedisPrefix();
  const BUDGET = 2;
  const MAX_QUERY_BYTES = 1024;
  let app: TestApp;
  const redis = new Redis(REDIS_URL);
  beforeAll(async () => {
    app = await startTestApp({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      RATE_LIMIT_PERSISTED_QUERY_IP: `${BUDGET}/3600`,
      GRAPHQL_MAX_QUERY_BYTES: `${MAX_QUERY_BYTES}`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  const register = (query: string) => {
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    return { sha256Hash, body: { query, extensions: { persistedQuery: { version: 1, sha256Hash } } } };
  };

  it("store only as many per client IP as its budget; past it the query still runs but is not kept", async () => {
    const queries = Array.from({ length: BUDGET + 2 }, (_, i) => register(`query Distinct${i} { providers { kind } }`));
    for (const { body } of queries) {
      const answer = await post(app, body);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toHaveProperty("providers");
    }
    const stored = await Promise.all(queries.map(({ sha256Hash }) => redis.exists(`${prefix}:apq:${sha256Hash}`)));
    expect(stored).toEqual([1, 1, 0, 0]);
    const byHash = await post(app, { extensions: register(queries[BUDGET].body.query).body.extensions });
    expect(byHash.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("never store a text over GRAPHQL_MAX_QUERY_BYTES: it is refused before parsing", async () => {
    const { sha256Hash, body } = register(`query Big { providers { kind } } # ${"x".repeat(MAX_QUERY_BYTES)}`);
    expect((await post(app, body)).errors?.[0].extensions?.code).toBe("QUERY_TOO_LARGE");
    expect(await redis.exists(`${prefix}:apq:${sha256Hash}`)).toBe(0);
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
