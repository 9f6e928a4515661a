import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, TEST_DATABASE, type TestDatabase } from "../helpers/databases";
import { freePort } from "../helpers/free-port";
import { readStatusMb, startScriptNodeFlags } from "../../bench/child-process";
import { buildServer, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * Issue 16 item 2: without signing in, distinct large documents once filled Apollo's document store
 * until the process died ("JavaScript heap out of memory" after twenty ~97 kB queries under npm
 * start's heap flags). The real server, compiled and started with those flags in production mode,
 * gets the attack and then hundreds of distinct documents just under GRAPHQL_MAX_QUERY_BYTES
 * (some registered as automatic persisted queries), from several connections at once; it must still
 * answer a normal request, with its resident memory bounded.
 *
 * The same production start also shows what a start loads (support/loaded-modules-probe.cjs): none
 * of the packages that only some later request needs (docs/performance.md, "Start-up").
 */

const HUGE_DOCUMENTS = 40;
const LARGE_DOCUMENTS = 400;
const PARALLEL = 8;
/** npm start's heap flags allow 128 MB of old space and 3 x 32 MB of young; seen here after the attack: ~190 MB. */
const RSS_BOUND_MB = 300;

/** A distinct document of about `bytes` bytes: many aliased fields, as an attacker would send. */
function document(index: number, bytes: number): string {
  const fields: string[] = [];
  for (let size = 0, i = 0; size < bytes - 40; i++) {
    const field = `f${index}_${i}: __typename`;
    fields.push(field);
    size += field.length + 1;
  }
  return `query Q${index} { ${fields.join(" ")} }`;
}

async function post(url: string, body: unknown): Promise<{ status: number; codes: string[] }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: (answer.errors ?? []).map((error) => error.extensions?.code ?? "?") };
}

/**
 * Never loaded by a start: what only some later request needs, or a package index that loads far
 * more than the server uses (whose parts it loads from their own files). Each was once loaded at
 * start, for ~30-150 ms of CPU (class-validator's index with validator and libphonenumber-js; ajv
 * and fast-json-stringify through Fastify's schema compilers; every limiter of rate-limiter-flexible).
 */
const NOT_LOADED_BY_A_START = [
  "class-validator/cjs/index.js",
  "libphonenumber-js/",
  "@fastify/ajv-compiler/",
  "@fastify/fast-json-stringify-compiler/",
  "ajv/",
  "rate-limiter-flexible/index.js",
  "pino-pretty/",
  "@apollo/usage-reporting-protobuf/",
  "nodemailer/",
  "qrcode/",
];

/** Runs `count` tasks, `parallel` at a time. */
async function inParallel(count: number, parallel: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

describe(`memory under distinct large documents (real server, npm start's heap flags, ${TEST_DATABASE})`, () => {
  let build: BuiltServer;
  let database: TestDatabase;
  let server: ServerProcess;
  let loadedModulesReport: string;

  beforeAll(async () => {
    build = buildServer();
    database = await createTestDatabase();
    loadedModulesReport = path.join(build.dir, "loaded-modules.json");
    server = await startServerProcess(
      build.mainJs,
      {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
        LOG_LEVEL: "warn",
        DATA_ENCRYPTION_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=",
        // Production refuses the console stand-ins; nothing here sends a message.
        EMAIL_PROVIDER: "smtp",
        SMTP_URL: "smtp://127.0.0.1:9",
        EMAIL_FROM: "账号中心 <no-reply@account.example.com>",
        SMS_PROVIDER: "aliyun",
        ALIYUN_ACCESS_KEY_ID: "test",
        ALIYUN_ACCESS_KEY_SECRET: "test",
        ALIYUN_SMS_SIGN_NAME: "test",
        ALIYUN_SMS_TEMPLATE_CODE: "SMS_0",
        ALIYUN_SMS_ENDPOINT: "http://127.0.0.1:9",
        LOADED_MODULES_REPORT: loadedModulesReport,
        ...database.env,
      },
      path.join(build.dir, "server.log"),
      30_000,
      [
        ...startScriptNodeFlags(path.join(__dirname, "../../package.json")),
        "--require",
        path.join(__dirname, "support/loaded-modules-probe.cjs"),
      ],
    );
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (build) {
      if (process.env.KEEP_LOG) fs.copyFileSync(path.join(build.dir, "server.log"), process.env.KEEP_LOG);
      build.remove();
    }
  });

  it("has loaded, at its first answer (/healthz), none of what only some later request needs", () => {
    const loaded = JSON.parse(fs.readFileSync(loadedModulesReport, "utf8")) as string[];
    const underNodeModules = (part: string) => loaded.filter((file) => file.includes(`/node_modules/${part}`));
    // The probe saw the start: the server's own packages are there.
    expect(underNodeModules("typeorm/").length).toBeGreaterThan(100);
    expect(underNodeModules("fastify/").length).toBeGreaterThan(10);
    expect(Object.fromEntries(NOT_LOADED_BY_A_START.map((part) => [part, underNodeModules(part)]))).toEqual(
      Object.fromEntries(NOT_LOADED_BY_A_START.map((part) => [part, []])),
    );
  });

  it("refuses the issue's ~97 kB documents before parsing, bounds what it keeps of hundreds of 16 kB ones, and still serves", async () => {
    const statuses = new Map<string, number>();
    const count = (outcome: { status: number; codes: string[] }) => {
      const key = `${outcome.status} ${outcome.codes.join(",") || "OK"}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    await inParallel(HUGE_DOCUMENTS, PARALLEL, async (i) => count(await post(server.url, { query: document(i, 97_000) })));
    expect(statuses).toEqual(new Map([["400 QUERY_TOO_LARGE", HUGE_DOCUMENTS]]));

    await inParallel(LARGE_DOCUMENTS, PARALLEL, async (i) => {
      const query = document(HUGE_DOCUMENTS + i, 16_000);
      // Every fourth one as an automatic persisted query, which Apollo keeps by its hash.
      const extensions =
        i % 4 === 0 ? { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") } } : undefined;
      count(await post(server.url, { query, extensions }));
    });
    expect(server.isRunning()).toBe(true);
    expect([...statuses.keys()].filter((key) => !/^(200|400) /.test(key))).toEqual([]);

    const normal = await post(server.url, { query: "{ providers { kind enabled } }" });
    expect(normal).toEqual({ status: 200, codes: [] });
    const rss = readStatusMb(server.child.pid!, "VmRSS");
    expect({ rss, within: rss !== null && rss < RSS_BOUND_MB, statuses: Object.fromEntries(statuses) }).toEqual({
      rss,
      within: true,
      statuses: expect.any(Object),
    });
  });
});
