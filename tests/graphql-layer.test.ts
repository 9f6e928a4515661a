import { LOGIN, ME, registerUser } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  // A database read costs 20 and a mutation 100 (FIELD_COST): `me { security }` (four reads) and `register` fit, 110 aliases of `providers` do not.
  app = await startTestApp({ GRAPHQL_MAX_DEPTH: "3", GRAPHQL_MAX_COST: "200" });
});
afterAll(() => app.stop());

function expectNoInternals(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/stacktrace|at .*\.(ts|js):\d+|node_modules|SQLITE|QueryFailedError|relation "/i);
}

describe("query limits", () => {
  it("refuses an operation nested deeper than GRAPHQL_MAX_DEPTH, also through fragments", async () => {
    const user = await registerUser(app.client);
    expect((await user.client.ok(`{ me { security { hasPassword } } }`)).me.security.hasPassword).toBe(true);
    const deep = await user.client.fails(`{ me { auditEvents { nodes { id } } } }`);
    expect(deep.extensions).toEqual({ code: "QUERY_TOO_COMPLEX" });
    const viaFragment = await user.client.fails(`
      query { ...Q } fragment Q on Query { me { ... on Account { auditEvents { nodes { id } } } } }
    `);
    expect(viaFragment.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("refuses an operation costing more than GRAPHQL_MAX_COST, e.g. many aliases", async () => {
    const aliases = Array.from({ length: 110 }, (_, i) => `a${i}: providers { kind }`).join(" ");
    const error = await app.client.fails(`{ ${aliases} }`);
    expect(error.extensions).toEqual({ code: "QUERY_TOO_COMPLEX" });
  });

  it("gives a repeated document the same verdict every time, with or without variables", async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: providers { kind }`).join(" ");
    // The server remembers the verdict for a document without variables: the same one again is
    // refused again, a cheap one answered again.
    for (let i = 0; i < 2; i++) {
      expect((await app.client.fails(`{ ${aliases(110)} }`)).extensions).toEqual({ code: "QUERY_TOO_COMPLEX" });
      expect((await app.client.ok(`{ ${aliases(2)} }`)).a1).toBeDefined();
    }
    const user = await registerUser(app.client);
    const events = `query($first: Int) { me { auditEvents(first: $first) { nodes { id } } } }`;
    for (const first of [5, 50]) {
      expect((await user.client.request(events, { first })).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    }
  });
});

describe("malformed requests", () => {
  it("reports a syntax error as GRAPHQL_PARSE_FAILED without internals", async () => {
    const res = await app.client.request(`{ me { id `);
    expect(res.errors?.[0].extensions).toEqual({ code: "GRAPHQL_PARSE_FAILED" });
    expectNoInternals(res);
  });

  it("reports an unknown field as GRAPHQL_VALIDATION_FAILED, and never exposes secret columns", async () => {
    const res = await app.client.request(`{ me { passwordHash } }`);
    expect(res.errors?.[0].extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED" });
    expectNoInternals(res);
  });

  it("reports a missing required variable as BAD_USER_INPUT naming it", async () => {
    // Within this app's GRAPHQL_MAX_DEPTH of 3.
    const res = await app.client.request(`mutation Login($input: LoginInput!) { login(input: $input) { result { __typename } } }`, {});
    expect(res.errors?.[0].extensions).toEqual({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "input", code: "REQUIRED", params: { expected: "LoginInput!" }, messages: [expect.any(String)] }],
    });
  });

  it("refuses a batch of operations in one request", async () => {
    const response = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ providers { kind } }" }, { query: "{ providers { kind } }" }]),
    });
    expect(response.status).toBe(400);
  });

  it("refuses a body over 100 kB", async () => {
    const response = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ providers { kind } } # ${"x".repeat(110_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it("answers a body it cannot take in GraphQL's error shape, never cached, callable from any origin", async () => {
    const refusals: [number, string, string][] = [
      [413, "application/json", JSON.stringify({ query: "{ me { id } }", variables: { a: "A".repeat(110_000) } })],
      [400, "application/json", '{"query": "{ me { id } }", '],
      [400, "application/json", ""],
      [415, "application/x-www-form-urlencoded", "query=%7B%20me%20%7B%20id%20%7D%20%7D"],
    ];
    for (const [status, type, body] of refusals) {
      const response = await fetch(app.url, {
        method: "POST",
        headers: { "content-type": type, origin: "https://console.example.com" },
        body,
      });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const answer = (await response.json()) as { errors: { message: string; extensions: unknown }[] };
      expect(answer.errors).toEqual([{ message: expect.any(String), extensions: { code: "BAD_REQUEST" } }]);
      expectNoInternals(answer);
      expect(answer.errors[0].message).not.toMatch(/FST_|fastify/i);
    }
  });

  it("refuses query text over GRAPHQL_MAX_QUERY_BYTES as QUERY_TOO_LARGE before parsing it", async () => {
    // Not even valid GraphQL: refused for its length before any parse would say so.
    const response = await app.client.request(`{ providers { kind } ${"a: ".repeat(6_000)}`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([{ message: expect.stringContaining("16384 bytes"), extensions: { code: "QUERY_TOO_LARGE" } }]);
    const counted = await app.client.request(`{ providers { kind } } # ${"é".repeat(8_180)}`); // under 16 384 characters, over 16 384 bytes
    expect(counted.errors?.[0].extensions?.code).toBe("QUERY_TOO_LARGE");
    const fits = await app.client.request(`{ providers { kind } } # ${"x".repeat(16_000)}`);
    expect(fits.errors).toBeUndefined();
  });

  it("refuses variables nested thousands deep as BAD_USER_INPUT, HTTP 400, not an internal error", async () => {
    const user = await registerUser(app.client);
    // JSON text, since JSON.stringify itself recurses: {"a":[{"a":[ ... "x" ... ]}]}
    const nested = (depth: number) => `${'{"a":['.repeat(depth / 2)}"x"${"]}".repeat(depth / 2)}`;
    const post = (body: string) =>
      fetch(app.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` }, body });
    const query = JSON.stringify(`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id } } }`);
    for (const body of [
      `{"query": ${query}, "variables": {"input": {"avatarUrl": ${nested(20_000)}}}}`,
      `{"query": ${query}, "variables": {"input": {"avatarUrl": ${nested(40)}}}}`,
      `{"query": "{ providers { kind } }", "extensions": {"x": ${nested(20_000)}}}`,
    ]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: expect.any(String),
            extensions: {
              code: "BAD_USER_INPUT",
              fieldErrors: [
                { field: "variables", code: "TOO_DEEP", params: { max: 32 }, messages: [expect.stringContaining("32 levels")] },
              ],
            },
          },
        ],
      });
    }
    const viaGet = await fetch(
      `${app.url}?query=${encodeURIComponent("{ providers { kind } }")}&variables=${encodeURIComponent(`{"v": ${"[".repeat(2_000)}${"]".repeat(2_000)}}`)}`,
      {
        headers: { "apollo-require-preflight": "true" },
      },
    );
    expect(viaGet.status).toBe(400);
    // A value of ordinary depth is still checked by its type as before.
    const shallow = await post(`{"query": ${query}, "variables": {"input": {"avatarUrl": ${nested(4)}}}}`);
    const answer = (await shallow.json()) as { errors: { extensions: unknown }[] };
    expect(answer.errors[0].extensions).toEqual({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "avatarUrl", code: "WRONG_TYPE", params: { expected: "String" }, messages: [expect.any(String)] }],
    });
  });
});

describe("CSRF prevention", () => {
  it("refuses a simple GET that a cross-site form or image could send", async () => {
    const response = await fetch(`${app.url}?query=${encodeURIComponent("{ providers { kind } }")}`);
    expect(response.status).toBe(400);
  });

  it("refuses a POST that is not JSON", async () => {
    const response = await fetch(app.url, { method: "POST", headers: { "content-type": "text/plain" }, body: `{"query":"{ me { id } }"}` });
    expect(response.status).toBe(400);
  });

  it("answers a GET that carries the preflight header", async () => {
    const response = await fetch(`${app.url}?query=${encodeURIComponent("{ providers { kind } }")}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(response.status).toBe(200);
  });

  it("lets SPAs on other origins call it with a bearer token (no cookies are ever used)", async () => {
    const response = await fetch(app.url, {
      method: "OPTIONS",
      headers: {
        origin: "https://console.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("caching", () => {
  it("tells browsers and proxies never to store an answer: they carry tokens and personal data", async () => {
    const user = await registerUser(app.client);
    const signedIn = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("no-store");
    const refused = await fetch(app.url, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(refused.headers.get("cache-control")).toBe("no-store");
  });
});

describe("the client's address", () => {
  const signedInIp = async (target: TestApp, forwardedFor: string) => {
    const user = await registerUser(target.client.with({ "x-forwarded-for": forwardedFor }));
    const data = await user.client.ok(`{ me { sessions { nodes { ip current } } } }`);
    return data.me.sessions.nodes.find((s: { current: boolean }) => s.current).ip as string;
  };

  it("ignores X-Forwarded-For unless TRUST_PROXY says so", async () => {
    // An app of its own: reading a session's IP nests deeper than this file's GRAPHQL_MAX_DEPTH.
    const direct = await startTestApp();
    try {
      expect(await signedInIp(direct, "203.0.113.9")).toMatch(/127\.0\.0\.1$/);
    } finally {
      await direct.stop();
    }
  });

  it("takes TRUST_PROXY as a hop count, as Express does: one trusted proxy in front gives the address it saw", async () => {
    const proxied = await startTestApp({ TRUST_PROXY: "1" });
    try {
      expect(await signedInIp(proxied, "203.0.113.9, 198.51.100.7")).toBe("198.51.100.7");
    } finally {
      await proxied.stop();
    }
  });
});

describe("development conveniences", () => {
  it("serves Apollo Sandbox to a browser and answers introspection", async () => {
    const page = await fetch(app.url, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("sandbox");
    const data = await app.client.ok(`{ __schema { queryType { name } } }`);
    expect(data.__schema.queryType.name).toBe("Query");
  });

  it("lists the providers: outside production the dev stand-ins enable all three", async () => {
    const data = await app.client.ok(`{ providers { kind enabled } }`);
    expect(data.providers).toEqual([
      { kind: "WECHAT", enabled: true },
      { kind: "QQ", enabled: true },
      { kind: "ALIPAY", enabled: true },
    ]);
  });
});

describe("with introspection off (production's default)", () => {
  it("does not hint at field names in validation errors, which would disclose the schema", async () => {
    const closed = await startTestApp({ GRAPHQL_INTROSPECTION: "false" });
    try {
      const hidden = await closed.client.request(`{ me { usernam } }`);
      expect(hidden.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(hidden.errors?.[0].message).not.toMatch(/Did you mean/);
      expect((await closed.client.request(`{ __schema { queryType { name } } }`)).errors?.[0].extensions?.code).toBe(
        "GRAPHQL_VALIDATION_FAILED",
      );
    } finally {
      await closed.stop();
    }
    // Where introspection is on, the hints tell nothing new and help: kept.
    expect((await app.client.request(`{ me { usernam } }`)).errors?.[0].message).toContain(`Did you mean "username"?`);
  });
});

describe("when the database fails", () => {
  it("answers INTERNAL_SERVER_ERROR with no internal detail", async () => {
    const broken = await startTestApp({ LOG_LEVEL: "silent" });
    try {
      const user = await registerUser(broken.client);
      await broken.dataSource.destroy();
      const res = await broken.client.request(LOGIN, { input: { identifier: user.username, password: "whatever-it-is" } });
      expect(res.errors?.[0]).toEqual({
        message: "Something went wrong on our side; try again later.",
        path: ["login"],
        locations: [{ line: 3, column: 5 }],
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      });
      expectNoInternals(res);
      expect((await user.client.request(ME)).errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await broken.stop();
    }
  });
});
