import net from "node:net";
import { AuditEventEntity, ChallengeEntity } from "../../src/entities";
import { ME, registerSteppedUp, type RegisteredUser } from "../helpers/accounts";
import { bindContact, START_BINDING, uniqueEmail, uniquePhone } from "../helpers/contacts";
import { startTestApp, type TestApp } from "../helpers/test-server";

/**
 * A vendor that never answers must cost a request PROVIDER_TIMEOUT_MS, not forever, and must not
 * hold up anyone else. With PROVIDER_TIMEOUT_MS=500, the bounds below are loose on purpose (a 2-core
 * machine running other suites): this checks that the timeout exists and is the configured one, not
 * how fast the server is.
 */

// Each test takes about a second; a broken timeout fails it within ANSWER_BOUND_MS, not minutes.
jest.setTimeout(30_000);

const TIMEOUT_MS = 500;
/** "Well under" the 5 s default: far more than 500 ms plus scheduling noise. */
const ANSWER_BOUND_MS = 3000;
/** Another request, answered while the hung one waits. */
const OTHERS_BOUND_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface HangOutcome {
  readonly code: string | undefined;
  readonly elapsedMs: number;
  /** Latencies of the requests made while the hung one was pending (only those). */
  readonly othersMs: number[];
}

/** The request's answer, or NO ANSWER past the bound: a regression fails here, not at jest's timeout. */
async function bounded(request: Promise<{ errors?: { extensions?: { code?: string } }[] }>) {
  return Promise.race([request, sleep(ANSWER_BOUND_MS + 1000).then(() => ({ errors: [{ extensions: { code: "NO ANSWER" } }] }))]);
}

/**
 * Stops the app after the vendor fakes, so a request still hanging on one (only when the timeout is
 * broken) ends instead of holding the shutdown; TestApp.stop then finds the SMS fake already stopped.
 */
async function stopAfterVendors(app: TestApp, ...vendors: { stop(): Promise<void> }[]): Promise<void> {
  for (const vendor of vendors) await vendor.stop();
  await app.stop().catch((error: { code?: string }) => {
    if (error.code !== "ERR_SERVER_NOT_RUNNING") throw error;
  });
}

/**
 * Starts `hung`, and while it is pending keeps asking `me` as `other`; returns how the hung request
 * ended and how fast the others were answered.
 */
async function whileHanging(
  hung: () => Promise<{ errors?: { extensions?: { code?: string } }[] }>,
  other: RegisteredUser,
): Promise<HangOutcome> {
  let pending = true;
  const started = Date.now();
  const result = hung().finally(() => {
    pending = false;
  });
  const othersMs: number[] = [];
  await sleep(50); // let the request reach the vendor
  while (pending && Date.now() - started < ANSWER_BOUND_MS) {
    const asked = Date.now();
    const me = await other.client.request(ME);
    expect(me.data?.me?.id).toBe(other.id);
    if (pending) othersMs.push(Date.now() - asked);
    await sleep(20);
  }
  const response = await bounded(result);
  return { code: response.errors?.[0]?.extensions?.code, elapsedMs: Date.now() - started, othersMs };
}

describe("a hanging SMS vendor (Aliyun fake, hangNext)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: "silent" });
  });
  afterAll(() => stopAfterVendors(app, app.sms));

  it("answers startContactBinding with PROVIDER_UNAVAILABLE within the timeout, writes nothing, and serves others meanwhile", async () => {
    const user = await registerSteppedUp(app.client);
    const other = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    const challenges = await app.dataSource.getRepository(ChallengeEntity).count();
    const sent = app.smsTo(phone).length;

    app.sms.hangNext();
    const outcome = await whileHanging(() => user.client.request(START_BINDING, { kind: "PHONE", address: phone }), other);

    expect(outcome.code).toBe("PROVIDER_UNAVAILABLE");
    expect(outcome.elapsedMs).toBeLessThan(ANSWER_BOUND_MS);
    // It did wait for the vendor (the timeout is the configured one, not an immediate failure).
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // Others were answered while it hung, each quickly.
    expect(outcome.othersMs.length).toBeGreaterThan(0);
    expect(Math.max(...outcome.othersMs)).toBeLessThan(OTHERS_BOUND_MS);
    // Nothing was written, nothing delivered.
    expect(await app.dataSource.getRepository(ChallengeEntity).count()).toBe(challenges);
    expect(app.smsTo(phone)).toHaveLength(sent);
    const codeSent = await app.dataSource.getRepository(AuditEventEntity).countBy({ accountId: user.id, type: "CODE_SENT" });
    expect(codeSent).toBe(0);
  });

  it("sends again once the vendor answers again", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    app.sms.hangNext();
    expect((await bounded(user.client.request(START_BINDING, { kind: "PHONE", address: phone }))).errors?.[0]?.extensions?.code).toBe(
      "PROVIDER_UNAVAILABLE",
    );
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "PHONE", address: phone });
    expect(startContactBinding.challenge.id).toBeTruthy();
    expect(await app.smsCodeFor(phone)).toMatch(/^\d{6}$/);
  });

  it("answers requestPasswordReset at once while the SMS it triggers hangs (the send happens after the answer)", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    await bindContact(app, user.client, "PHONE", phone);
    app.clock.advanceSeconds(61);
    app.sms.hangNext();
    const started = Date.now();
    const answer = await app.client.ok(`mutation($i: String!) { requestPasswordReset(input: { identifier: $i }) { identifier } }`, {
      i: phone,
    });
    expect(answer.requestPasswordReset).toEqual({ identifier: phone });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    // The background send did meet the hung vendor: the hang is used up (the next SMS goes through)
    // and the reset code was never delivered.
    await sleep(TIMEOUT_MS + 300);
    const other = await registerSteppedUp(app.client);
    const otherPhone = uniquePhone();
    await other.client.ok(START_BINDING, { kind: "PHONE", address: otherPhone });
    expect(await app.smsCodeFor(otherPhone)).toMatch(/^\d{6}$/);
    expect(app.smsTo(phone).filter((m) => m.templateParam.code !== undefined)).toHaveLength(1); // the binding code only
  });
});

/**
 * Mail servers that hang: one that accepts the connection and never greets, one that greets and
 * then never answers. Raw TCP on loopback; the server's SMTP adapter (nodemailer) must give up.
 */
async function startStuckSmtp(greet: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (greet) socket.write("220 stuck.example ESMTP\r\n");
    // then silence
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://user:pass@127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each([
  ["never greets", false],
  ["greets, then never answers", true],
])("a mail server that %s", (_name, greet) => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startStuckSmtp>>;
  beforeAll(async () => {
    smtp = await startStuckSmtp(greet);
    app = await startTestApp({ PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS), SMTP_URL: smtp.url, LOG_LEVEL: "silent" });
  });
  afterAll(() => stopAfterVendors(app, smtp));

  it("costs startContactBinding PROVIDER_UNAVAILABLE within the bound, and others are served meanwhile", async () => {
    const user = await registerSteppedUp(app.client);
    const other = await registerSteppedUp(app.client);
    const challenges = await app.dataSource.getRepository(ChallengeEntity).count();
    const outcome = await whileHanging(() => user.client.request(START_BINDING, { kind: "EMAIL", address: uniqueEmail("stuck") }), other);
    expect(outcome.code).toBe("PROVIDER_UNAVAILABLE");
    expect(outcome.elapsedMs).toBeLessThan(ANSWER_BOUND_MS);
    expect(outcome.othersMs.length).toBeGreaterThan(0);
    expect(Math.max(...outcome.othersMs)).toBeLessThan(OTHERS_BOUND_MS);
    expect(await app.dataSource.getRepository(ChallengeEntity).count()).toBe(challenges);
  });
});
