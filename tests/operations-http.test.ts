import net from "node:net";
import { ME, LOGIN, registerSteppedUp, uniqueUsername } from "./helpers/accounts";
import { START_BINDING, uniquePhone } from "./helpers/contacts";
import { TEST_DATABASE } from "./helpers/databases";
import { freePort } from "./helpers/free-port";
import { startTestApp, type TestApp } from "./helpers/test-server";

/**
 * What an operator and a cross-origin client meet over HTTP besides /graphql itself: health and
 * readiness, /metrics, CORS preflights, and the offline query page at /graphiql.
 */

const METRICS_TOKEN = "metrics-token-0123456789abcdef";

function origin(app: TestApp): string {
  return new URL(app.url).origin;
}

async function get(app: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin(app)}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function readiness(app: TestApp) {
  const response = await get(app, "/readyz");
  return { status: response.status, body: JSON.parse(response.text) as { status: string; checks: Record<string, string> } };
}

function preflight(app: TestApp, from: string, headers: string) {
  return fetch(app.url, {
    method: "OPTIONS",
    headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": headers },
  });
}

/** The value of one series in Prometheus' text format, or 0 when it has none yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2]?.split(",") ?? [];
    if (wanted.every((pair) => have.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe("default settings (CORS for any origin, Sandbox on, METRICS_TOKEN set)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN, RATE_LIMIT_LOGIN_IDENTIFIER: "2/900", SMS_DAILY_BUDGET: "50" });
  });
  afterAll(() => app.stop());

  it("answers /livez and /healthz (its older name) while the process runs", async () => {
    for (const path of ["/livez", "/healthz"]) {
      const live = await get(app, path);
      expect(live.status).toBe(200);
      expect(JSON.parse(live.text)).toEqual({ ok: true });
    }
  });

  it("answers /readyz 200 with each check when the database answers and no migration is pending; Redis is off without REDIS_URL", async () => {
    expect(await readiness(app)).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: "ok", migrations: "ok", redis: "off" } },
    });
  });

  it("lets a browser app on another origin send Apollo Client's and tracing headers (preflight)", async () => {
    const headers = [
      "authorization",
      "content-type",
      "apollo-require-preflight",
      "apollographql-client-name",
      "apollographql-client-version",
      "apollo-client-name",
      "apollo-client-version",
      "x-apollo-operation-name",
      "traceparent",
      "tracestate",
      "baggage",
      "sentry-trace",
    ];
    const response = await preflight(app, "https://console.example.net", headers.join(","));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/,\s*/);
    for (const header of headers) expect(allowed).toContain(header);
    // And the request itself, with those headers, is answered for that origin.
    const answer = await app.client
      .with({
        origin: "https://console.example.net",
        "apollographql-client-name": "console",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      })
      .request(ME);
    expect(answer).toEqual({ status: 200, data: { me: null } });
  });

  it("serves /metrics only with the METRICS_TOKEN bearer token", async () => {
    expect((await get(app, "/metrics")).status).toBe(401);
    expect((await get(app, "/metrics", { authorization: "Bearer wrong-token-0123456789abcdef" })).status).toBe(401);
    const scraped = await get(app, "/metrics", { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(scraped.text).toContain("# TYPE graphql_requests_total counter");
  });

  it("counts requests by operation and code, latency, auth-cache hits and misses, rate-limit refusals, provider calls and the SMS budget", async () => {
    const scrape = async () => (await get(app, "/metrics", { authorization: `Bearer ${METRICS_TOKEN}` })).text;
    const before = await scrape();
    const user = await registerSteppedUp(app.client);
    await user.client.ok(ME);
    await user.client.ok(ME);
    const username = uniqueUsername();
    for (let i = 0; i < 3; i++) await app.client.request(LOGIN, { input: { identifier: username, password: "wrong password 1" } });
    await user.client.ok(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved("graphql_requests_total", { operation: "Me", code: "OK" })).toBe(2);
    expect(moved("graphql_requests_total", { operation: "Login", code: "INVALID_CREDENTIALS" })).toBe(2);
    expect(moved("graphql_requests_total", { operation: "Login", code: "RATE_LIMITED" })).toBe(1);
    expect(moved("graphql_request_duration_seconds_count", { operation: "Me" })).toBe(2);
    expect(moved("auth_cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(1);
    expect(moved("auth_cache_lookups_total", { result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(moved("rate_limit_refusals_total", { limiter: "login-identifier" })).toBeGreaterThanOrEqual(1);
    expect(moved("provider_calls_total", { vendor: "sms-aliyun", outcome: "ok" })).toBe(1);
    expect(moved("provider_call_duration_seconds_count", { vendor: "sms-aliyun" })).toBe(1);
    expect(sample(after, "sms_budget_left")).toBe(sample(before, "sms_budget_left") - 1);
    expect(sample(after, "sms_budget_left")).toBeLessThan(50);
    // PostgreSQL's pool (SQLite has none).
    expect(after.includes("db_pool_connections{")).toBe(TEST_DATABASE === "postgres");
    if (TEST_DATABASE === "postgres") expect(sample(after, "db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
  });

  it("serves /graphiql, a query page that loads nothing from the network, with the schema and a curl command", async () => {
    const page = await get(app, "/graphiql", { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    // No script, style, font or image from elsewhere: every src and href stays on this origin.
    const references = [...page.text.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^\/(?!\/)/);
    expect(page.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(page.text).toContain(`curl -s ${app.config.publicOrigin}/graphql`);

    const script = await get(app, "/graphiql/runner.js");
    expect(script.status).toBe(200);
    expect(script.text).not.toMatch(/https?:\/\//);
    expect(script.text).toContain('fetch("/graphql"');
    const schema = await get(app, "/graphiql/schema.graphql");
    expect(schema.status).toBe(200);
    expect(schema.text).toContain("type Query");
  });

  it("answers /readyz 503 while a migration is pending", async () => {
    const table = app.dataSource.options.migrationsTableName ?? "migrations";
    const [last] = await app.dataSource.query(`SELECT id, timestamp, name FROM ${table} ORDER BY id DESC LIMIT 1`);
    await app.dataSource.query(`DELETE FROM ${table} WHERE id = ${Number(last.id)}`);
    try {
      expect(await readiness(app)).toEqual({
        status: 503,
        body: { status: "unready", checks: { database: "ok", migrations: "pending", redis: "off" } },
      });
    } finally {
      await app.dataSource.query(
        `INSERT INTO ${table} (id, timestamp, name) VALUES (${Number(last.id)}, ${Number(last.timestamp)}, '${String(last.name)}')`,
      );
    }
    expect((await readiness(app)).status).toBe(200);
  });
});

describe("CORS_ORIGINS set, Sandbox off, no METRICS_TOKEN, Redis down", () => {
  let app: TestApp;
  beforeAll(async () => {
    // A port nobody listens on: Redis is unreachable from the start.
    app = await startTestApp({
      CORS_ORIGINS: "https://console.example.com, http://localhost:5173",
      GRAPHQL_SANDBOX: "false",
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
  });
  afterAll(() => app.stop());

  it("allows the listed origins only", async () => {
    const listed = await preflight(app, "https://console.example.com", "content-type,apollographql-client-name");
    expect(listed.status).toBe(204);
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://console.example.com");
    expect(listed.headers.get("vary")).toMatch(/origin/i);
    const other = await preflight(app, "https://evil.example", "content-type");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("stays ready with Redis down, and says it is degraded", async () => {
    expect(await readiness(app)).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: "ok", migrations: "ok", redis: "degraded" } },
    });
  });

  it("serves neither /graphiql nor /metrics", async () => {
    expect((await get(app, "/graphiql", { accept: "text/html" })).status).toBe(404);
    expect((await get(app, "/graphiql/schema.graphql")).status).toBe(404);
    expect((await get(app, "/metrics", { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(404);
  });

  it("answers /readyz 503 when the database does not answer", async () => {
    await app.dataSource.destroy();
    const { status, body } = await readiness(app);
    expect(status).toBe(503);
    expect(body.status).toBe("unready");
    expect(body.checks.database).not.toBe("ok");
    expect((await get(app, "/livez")).status).toBe(200);
  });
});

describe("draining", () => {
  it('answers /readyz 503 "draining" to a request that arrives on an open connection once the server is stopping', async () => {
    const app = await startTestApp();
    const { hostname, port } = new URL(app.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    // A request begun (so the connection is not idle and stays open) and finished once stop() has begun.
    socket.write(`GET /readyz HTTP/1.1\r\nHost: ${hostname}\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = app.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write("Accept: application/json\r\n\r\n");
    await closed;
    await stopped;
    const response = Buffer.concat(received).toString("utf8");
    expect(response).toMatch(/^HTTP\/1\.1 503 /);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4))).toEqual({
      status: "draining",
      checks: { database: "ok", migrations: "ok", redis: "off" },
    });
  });
});
