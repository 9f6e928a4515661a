import { createHash } from "node:crypto";
import { IsNull } from "typeorm";
import { lockUntilCommit } from "../src/db/locks";
import { ChallengeEntity } from "../src/entities";
import { auditTypes, type RegisteredUser, registerSteppedUp, stepUpWithPassword } from "./helpers/accounts";
import { COMPLETE_STEP_UP, CONFIRM_BINDING, START_BINDING, uniqueEmail, uniquePhone } from "./helpers/contacts";
import { networkAddress, startFakeSmtp, type FakeSmtp } from "./fakes/smtp.fake";
import { TEST_DATABASE } from "./helpers/databases";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const CONTACTS = `{ me { email { masked } phone { masked } } }`;

function outcomes(results: { errors?: { extensions?: { code?: string } }[] }[]): string[] {
  return results.map((r) => r.errors?.[0].extensions?.code ?? "OK").sort();
}

function wrong(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

describe("the challenge mechanism", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  async function started(user: RegisteredUser, email = uniqueEmail()) {
    const seen = app.smtp.mailsTo(email).length;
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    return { id: startContactBinding.challenge.id as string, email, code: await app.smtp.codeFor(email, seen) };
  }

  it("stores the code only as a keyed hash", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    const row = await app.dataSource.getRepository(ChallengeEntity).findOneByOrFail({ id });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    expect(row.codeHash).not.toBe(createHash("sha256").update(code).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(`"${code}"`);
  });

  it("refuses an expired code", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    app.clock.advanceSeconds(10 * 60 + 1);
    await stepUpWithPassword(user.client); // the confirm needs a step-up too, and the first one lapsed with the code
    expect((await user.client.fails(CONFIRM_BINDING, { id, code })).extensions?.code).toBe("CODE_EXPIRED");
    expect((await user.client.ok(CONTACTS)).me.email).toBeNull();
  });

  it("allows five wrong tries, then refuses even the right code, and logs the failures", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    for (let i = 0; i < 5; i++) {
      expect((await user.client.fails(CONFIRM_BINDING, { id, code: wrong(code) })).extensions?.code).toBe("CODE_INVALID");
    }
    expect((await user.client.fails(CONFIRM_BINDING, { id, code })).extensions?.code).toBe("TOO_MANY_ATTEMPTS");
    expect((await user.client.ok(CONTACTS)).me.email).toBeNull();
    // Failed codes are logged after their answers.
    const failed = await eventually(async () => {
      const count = (await auditTypes(user.client)).filter((t) => t === "CODE_FAILED").length;
      return count >= 5 ? count : undefined;
    });
    expect(failed).toBe(5);
  });

  it("gives 20 parallel wrong guesses no more than five tries between them", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const results = await Promise.all(guesses.map((guess) => user.client.request(CONFIRM_BINDING, { id, code: guess })));
    expect(outcomes(results)).toEqual([...Array(5).fill("CODE_INVALID"), ...Array(15).fill("TOO_MANY_ATTEMPTS")]);
    expect((await app.dataSource.getRepository(ChallengeEntity).findOneByOrFail({ id })).attempts).toBe(5);
  });

  it("accepts a code once: of parallel confirms exactly one succeeds, and a reuse is refused", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    const results = await Promise.all(Array.from({ length: 5 }, () => user.client.request(CONFIRM_BINDING, { id, code })));
    expect(outcomes(results)).toEqual(["CODE_INVALID", "CODE_INVALID", "CODE_INVALID", "CODE_INVALID", "OK"]);
    expect((await user.client.fails(CONFIRM_BINDING, { id, code })).extensions?.code).toBe("CODE_INVALID");
  });

  it("refuses a code used for another purpose or by another account", async () => {
    const user = await registerSteppedUp(app.client);
    const { id, code } = await started(user);
    expect((await user.client.fails(COMPLETE_STEP_UP, { id, code })).extensions?.code).toBe("CODE_INVALID");
    const other = await registerSteppedUp(app.client);
    expect((await other.client.fails(CONFIRM_BINDING, { id, code })).extensions?.code).toBe("CODE_INVALID");
    // Neither misuse spent the code.
    expect((await user.client.ok(CONFIRM_BINDING, { id, code })).confirmContactBinding.account.email).not.toBeNull();
  });

  it("refuses an unknown challenge like a wrong code", async () => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(CONFIRM_BINDING, { id: "00000000-0000-4000-8000-000000000000", code: "123456" });
    expect(error.extensions?.code).toBe("CODE_INVALID");
  });

  it("makes the resend wait for the cooldown, then replaces the older code", async () => {
    const user = await registerSteppedUp(app.client);
    const first = await started(user);
    const early = await user.client.fails(START_BINDING, { kind: "EMAIL", address: first.email });
    expect(early.extensions?.code).toBe("RATE_LIMITED");
    expect(early.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(early.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);

    app.clock.advanceSeconds(61);
    const second = await started(user, first.email);
    expect((await user.client.fails(CONFIRM_BINDING, { id: first.id, code: first.code })).extensions?.code).toBe("CODE_INVALID");
    expect(
      (await user.client.ok(CONFIRM_BINDING, { id: second.id, code: second.code })).confirmContactBinding.account.email,
    ).not.toBeNull();
  });
});

describe("send budgets", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      CODE_RESEND_COOLDOWN_SECONDS: "0",
      RATE_LIMIT_CODE_TARGET_HOUR: "2/3600",
      SMS_DAILY_BUDGET: "3",
      LOG_LEVEL: "silent",
    });
  });
  afterAll(() => app.stop());

  it("limits codes to one address per hour, whoever asks", async () => {
    const email = uniqueEmail();
    const [a, b] = await Promise.all([registerSteppedUp(app.client), registerSteppedUp(app.client)]);
    await a.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    await b.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    const error = await a.client.fails(START_BINDING, { kind: "EMAIL", address: email });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
    expect(error.extensions?.retryAfterSeconds).toBeGreaterThan(60);
  });

  // On PostgreSQL, requests to one address take turns on an advisory lock, not in the order they arrived.
  (TEST_DATABASE === "postgres" ? it : it.skip)(
    "reads the time once it holds the address, so a request that overtook another one does not refuse it, and one code stays",
    async () => {
      const user = await registerSteppedUp(app.client);
      const email = uniqueEmail();
      const waiting = async (count: number) => {
        const locks = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted";
        await eventually(async () => ((await app.dataSource.query(locks))[0].n === count ? true : undefined));
      };
      const holder = app.dataSource.createQueryRunner();
      await holder.startTransaction();
      await lockUntilCommit(holder.manager, `challenge:BIND_CONTACT:EMAIL:${email}:${user.id}`);
      // The first request arrives at a later time than the second one, as when the second overtook it
      // on its way to the lock.
      app.clock.advanceSeconds(30);
      const first = user.client.request(START_BINDING, { kind: "EMAIL", address: email });
      await waiting(1);
      app.clock.advanceSeconds(-30);
      const second = user.client.request(START_BINDING, { kind: "EMAIL", address: email });
      await waiting(2);
      await holder.commitTransaction();
      await holder.release();
      expect(outcomes(await Promise.all([first, second]))).toEqual(["OK", "OK"]);
      const live = await app.dataSource.getRepository(ChallengeEntity).countBy({ target: email, consumedAt: IsNull() });
      expect(live).toBe(1);
    },
  );

  it("stops every SMS once the deployment's daily budget is spent, and email still works", async () => {
    const user = await registerSteppedUp(app.client);
    for (let i = 0; i < 3; i++) await user.client.ok(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    const sentBefore = app.sms.messages.length;
    const error = await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
    expect(error.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.extensions?.retryAfterSeconds).toBeLessThanOrEqual(86400);
    expect(app.sms.messages.length).toBe(sentBefore);
    await user.client.ok(START_BINDING, { kind: "EMAIL", address: uniqueEmail() });
  });
});

describe("when the provider fails", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PROVIDER_TIMEOUT_MS: "300", LOG_LEVEL: "silent" });
  });
  afterAll(() => app.stop());

  async function challengeCount(): Promise<number> {
    return app.dataSource.getRepository(ChallengeEntity).count();
  }

  it("answers PROVIDER_UNAVAILABLE when the SMS vendor does not answer in time, and writes nothing", async () => {
    const user = await registerSteppedUp(app.client);
    const before = await challengeCount();
    app.sms.hangNext();
    const started = Date.now();
    const error = await user.client.fails(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    expect(error.extensions?.code).toBe("PROVIDER_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await challengeCount()).toBe(before);
  });

  it("keeps the previous code valid and sets no cooldown when a resend fails", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    const {
      startContactBinding: { challenge: first },
    } = await user.client.ok(START_BINDING, { kind: "PHONE", address: phone });
    const code = await app.smsCodeFor(phone);
    app.clock.advanceSeconds(61);
    app.sms.failNextWithStatus(503);
    expect((await user.client.fails(START_BINDING, { kind: "PHONE", address: phone })).extensions?.code).toBe("PROVIDER_UNAVAILABLE");
    expect((await user.client.ok(CONFIRM_BINDING, { id: first.id, code })).confirmContactBinding.account.phone).not.toBeNull();
  });

  it.each([
    [550, "PROVIDER_ERROR"],
    [451, "PROVIDER_UNAVAILABLE"],
  ])("maps a mail server's SMTP %i reply to %s", async (reply, code) => {
    const user = await registerSteppedUp(app.client);
    app.smtp.refuseNext(reply);
    expect((await user.client.fails(START_BINDING, { kind: "EMAIL", address: uniqueEmail() })).extensions?.code).toBe(code);
  });
});

describe("a mail server that offers no STARTTLS off loopback", () => {
  let app: TestApp;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await startFakeSmtp({ host: networkAddress() });
    // The configuration error is logged at error level; keep it out of the test output.
    app = await startTestApp({ SMTP_URL: smtp.url, LOG_LEVEL: "fatal" });
  });
  afterAll(async () => {
    await app.stop();
    await smtp.stop();
  });

  it("is a configuration error the caller cannot fix: PROVIDER_UNAVAILABLE, not a refused message, and nothing is sent", async () => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(START_BINDING, { kind: "EMAIL", address: uniqueEmail() });
    expect(error.extensions?.code).toBe("PROVIDER_UNAVAILABLE");
    expect(smtp.messages).toEqual([]);
  });
});
