import fs from "node:fs";
import path from "node:path";
import { spaDocument } from "../../bench/spa-documents";
import { checkCharacter } from "../../src/modules/real-name/id-number";
import { registerSteppedUp, type RegisteredUser } from "../helpers/accounts";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { GraphQLClient } from "../helpers/graphql-client";
import { buildServer, realServerEnv, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * Issue 16 item 10: one aliased query of QR codes held the event loop for seconds. The real server
 * (built, run as `node dist/src/main.js` with npm start's heap flags) measures its own event-loop
 * delay (support/event-loop-probe.cjs) while clients send the costliest operations the limits let
 * through, and ones they refuse; the account center's page query must still be answered. The max
 * delay must stay under BOUND_MS (the target is ~50 ms), or, on a machine so busy that ordinary
 * traffic alone is delayed longer (the scheduler, not the server), under twice what the same number
 * of clients sending ordinary queries saw just before: either way far below the seconds of the bug.
 */

const BOUND_MS = 100;
const LOAD_MS = 4000;
const CONCURRENCY = 4;

/** The account center's page query, as the SPA sends it (web/src/session.tsx). */
const PAGE_QUERY = spaDocument("session.tsx", "Me");

function aliases(count: number, field: string): string {
  return Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ");
}

/** What an attacker sends: the bomb (refused), and the costliest operations within GRAPHQL_MAX_COST. */
const HOSTILE: readonly string[] = [
  `{ me { ${aliases(490, "realName { qrCodeDataUrl }")} } }`,
  `{ me { ${aliases(4, "realName { status qrCodeDataUrl }")} } }`,
  `{ me { ${aliases(45, "realName { status maskedName maskedIdNumber }")} } }`,
  `{ me { ${aliases(12, "security { hasPassword totpEnabled twoStepMethods recoveryCodesRemaining }")} } }`,
  // Each enrolment is a new secret, so a new QR code to draw; and enrolments nobody scans cost nothing to draw.
  `mutation { ${aliases(4, "startTotpEnrollment { enrollment { qrCodeDataUrl } }")} }`,
  `mutation { ${aliases(9, "startTotpEnrollment { enrollment { secret } }")} }`,
];

jest.setTimeout(120_000);

let build: BuiltServer;
let database: TestDatabase;
let server: ServerProcess;
let report: string;
let user: RegisteredUser;
let readOnlyKey: string;

beforeAll(async () => {
  build = buildServer();
  database = await createTestDatabase();
  report = path.join(build.dir, "event-loop.json");
  const env = await realServerEnv(database.env, {
    NODE_OPTIONS: `--max-old-space-size=128 --max-semi-space-size=16 --require ${path.join(__dirname, "support/event-loop-probe.cjs")}`,
    EVENT_LOOP_REPORT: report,
  });
  server = await startServerProcess(build.mainJs, env, path.join(build.dir, "server.log"));
  const client = new GraphQLClient(server.url);
  user = await registerSteppedUp(client);
  const first17 = "11010519900307456";
  await user.client.ok(
    `mutation($input: StartRealNameVerificationInput!) { startRealNameVerification(input: $input) { realName { status } } }`,
    {
      input: { legalName: "张三", idNumber: first17 + checkCharacter(first17) },
    },
  );
  readOnlyKey = (await user.client.ok(`mutation { createApiKey(input: { name: "reader" }) { secret } }`)).createApiKey.secret;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  build?.remove();
});

/** The server's event-loop delay since the previous call. */
async function eventLoopDelay(): Promise<{ maxMs: number; p99Ms: number }> {
  fs.rmSync(report, { force: true });
  server.child.kill("SIGUSR2");
  for (let waited = 0; !fs.existsSync(report); waited += 20) {
    if (waited > 5000) throw new Error(`no event-loop report:\n${server.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return JSON.parse(fs.readFileSync(report, "utf8"));
}

/** CONCURRENCY clients sending `queries` round-robin for LOAD_MS, and a visitor loading the page query meanwhile. */
async function underLoad(queries: readonly string[]) {
  const clients = [user.client, user.client.as(readOnlyKey)];
  await eventLoopDelay();
  const deadline = Date.now() + LOAD_MS;
  const codes = new Map<string, number>();
  const senders = Array.from({ length: CONCURRENCY }, async (_, worker) => {
    for (let round = 0; Date.now() < deadline; round++) {
      const response = await clients[(worker + round) % clients.length].request(queries[(worker + round) % queries.length]);
      const code = response.errors?.[0]?.extensions?.code ?? "OK";
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  });
  const pageAnswers: { ok: boolean; ms: number }[] = [];
  const visitor = (async () => {
    while (Date.now() < deadline) {
      const started = Date.now();
      const response = await user.client.request(PAGE_QUERY);
      // The pending check with the address the page draws its QR code from.
      const realName = response.data?.me?.realName;
      pageAnswers.push({ ok: realName?.status === "PENDING" && /^https?:/.test(realName.verifyUrl ?? ""), ms: Date.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await Promise.all([...senders, visitor]);
  const delay = await eventLoopDelay();
  console.log(
    `${queries === HOSTILE ? "hostile" : "ordinary"}: event-loop delay max ${delay.maxMs.toFixed(1)} ms (p99 ${delay.p99Ms.toFixed(1)}); ` +
      `answers ${JSON.stringify(Object.fromEntries(codes))}; page query ${pageAnswers.length}x, slowest ${Math.max(...pageAnswers.map((answer) => answer.ms))} ms`,
  );
  return { delay, codes, pageAnswers };
}

it(`keeps the server's event-loop delay under ${BOUND_MS} ms (or what ordinary traffic sees) under alias bombs, and answers the page query meanwhile`, async () => {
  // Warm up, so what is measured is the work and not the first compilation of each path.
  for (const query of HOSTILE) await user.client.request(query);
  const ordinary = await underLoad([PAGE_QUERY, "{ me { id username security { hasPassword } } }"]);
  const hostile = await underLoad(HOSTILE);

  // The refused bomb is refused, the others within the limit answered (the read-only key is FORBIDDEN the mutations).
  expect(hostile.codes.get("QUERY_TOO_COMPLEX")).toBeGreaterThan(0);
  // A bomb the schema no longer matches would be refused before it costs anything, and test nothing.
  expect(hostile.codes.get("GRAPHQL_VALIDATION_FAILED")).toBeUndefined();
  expect(hostile.codes.get("OK")).toBeGreaterThan(0);
  expect(hostile.pageAnswers.length).toBeGreaterThan(5);
  expect(hostile.pageAnswers.every((answer) => answer.ok)).toBe(true);
  expect(hostile.delay.maxMs).toBeLessThan(Math.max(BOUND_MS, 2 * ordinary.delay.maxMs));
});
