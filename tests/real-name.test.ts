import { In } from "typeorm";
import { RealNameCheckEntity } from "../src/entities";
import { auditTypes, type RegisteredUser, registerSteppedUp, letStepUpLapse } from "./helpers/accounts";
import { bindContact, stepUp, uniqueEmail } from "./helpers/contacts";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { checkCharacter } from "../src/modules/real-name/id-number";

const START = /* GraphQL */ `
  mutation Start($input: StartRealNameVerificationInput!) {
    startRealNameVerification(input: $input) {
      realName {
        status
        maskedName
        maskedIdNumber
        verifyUrl
        qrCodeDataUrl
        verifiedAt
        failureReason
      }
    }
  }
`;
const REFRESH = `mutation { refreshRealNameVerification { realName { status maskedName maskedIdNumber verifyUrl verifiedAt failureReason failureCode } } }`;
const STATUS = `{ me { realName { status maskedName maskedIdNumber verifyUrl verifiedAt failureReason failureCode } capabilities { canPurchase } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ REAL_NAME_PENDING_TIMEOUT_SECONDS: "1800" });
});
afterAll(() => app.stop());

let serial = 100;
/** A valid ID number no other test uses: a real birth date and the right check character. */
function idNumber(): string {
  const first17 = `110105199001${String(10 + (serial % 18)).padStart(2, "0")}${String(serial++ % 1000).padStart(3, "0")}`;
  return first17 + checkCharacter(first17);
}

async function open(verifyUrl: string, result?: "fail"): Promise<number> {
  return (await fetch(result ? `${verifyUrl}?result=fail` : verifyUrl)).status;
}

describe("a verification through the dev stand-in", () => {
  it("sends the person back to the returnUrl after the check, as Alipay does", async () => {
    const user = await registerSteppedUp(app.client);
    const returnUrl = new URL("/real-name?from=check", app.url).toString();
    const {
      startRealNameVerification: { realName: started },
    } = await user.client.ok(START, {
      input: { legalName: "张三", idNumber: idNumber(), returnUrl },
    });
    const page = await fetch(started.verifyUrl, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(returnUrl);
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PASSED");
  });

  it("starts PENDING with the page to open as URL and QR code, then passes on refresh", async () => {
    const user = await registerSteppedUp(app.client);
    const number = idNumber();
    const {
      startRealNameVerification: { realName: started },
    } = await user.client.ok(START, { input: { legalName: "张三", idNumber: number } });
    expect(started).toMatchObject({
      status: "PENDING",
      maskedName: "张*",
      maskedIdNumber: `${number.slice(0, 4)}**********${number.slice(-4)}`,
      verifyUrl: expect.stringMatching(/\/dev\/identity\/dev-[0-9a-f-]{36}$/),
      qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/),
      verifiedAt: null,
    });
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PENDING");
    expect(await open(started.verifyUrl)).toBe(200);
    const {
      refreshRealNameVerification: { realName: passed },
    } = await user.client.ok(REFRESH);
    expect(passed).toMatchObject({ status: "PASSED", maskedName: "张*", verifyUrl: null, failureReason: null, failureCode: null });
    expect(passed.verifiedAt).not.toBeNull();
    expect((await user.client.ok(STATUS)).me.capabilities.canPurchase).toBe(true);
    expect(await auditTypes(user.client)).toEqual(expect.arrayContaining(["REAL_NAME_STARTED", "REAL_NAME_PASSED"]));
  });

  it("keeps the legal name and ID number only sealed, with a keyed hash for uniqueness", async () => {
    const user = await registerSteppedUp(app.client);
    const number = idNumber();
    await user.client.ok(START, { input: { legalName: "李四", idNumber: number } });
    const row = await app.dataSource.getRepository(RealNameCheckEntity).findOneByOrFail({ accountId: user.id });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(number);
    expect(stored).not.toContain("李四");
    expect(row.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records a failed check with a reason the person can act on, and lets them start again", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startRealNameVerification: { realName: started },
    } = await user.client.ok(START, { input: { legalName: "王五", idNumber: idNumber() } });
    await open(started.verifyUrl, "fail");
    const {
      refreshRealNameVerification: { realName: failed },
    } = await user.client.ok(REFRESH);
    expect(failed).toMatchObject({ status: "FAILED", failureCode: "NOT_MATCHED", failureReason: expect.stringContaining("face check") });
    expect((await user.client.ok(STATUS)).me.capabilities.canPurchase).toBe(false);
    expect(await auditTypes(user.client)).toContain("REAL_NAME_FAILED");
    expect(
      (await user.client.ok(START, { input: { legalName: "王五", idNumber: idNumber() } })).startRealNameVerification.realName.status,
    ).toBe("PENDING");
  });

  it("abandons a pending check when a new one starts", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startRealNameVerification: { realName: first },
    } = await user.client.ok(START, { input: { legalName: "赵六", idNumber: idNumber() } });
    const {
      startRealNameVerification: { realName: second },
    } = await user.client.ok(START, { input: { legalName: "赵六", idNumber: idNumber() } });
    expect(second.verifyUrl).not.toBe(first.verifyUrl);
    await open(first.verifyUrl);
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PENDING");
    await open(second.verifyUrl);
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PASSED");
  });

  it("refuses to start again once passed", async () => {
    const user = await registerSteppedUp(app.client);
    const {
      startRealNameVerification: { realName: started },
    } = await user.client.ok(START, { input: { legalName: "孙七", idNumber: idNumber() } });
    await open(started.verifyUrl);
    await user.client.ok(REFRESH);
    expect((await user.client.fails(START, { input: { legalName: "孙七", idNumber: idNumber() } })).extensions?.code).toBe(
      "ALREADY_VERIFIED",
    );
  });

  it("refuses an ID number already verified on another account when passing, and tells it only then", async () => {
    const number = idNumber();
    const first = await registerSteppedUp(app.client);
    const second = await registerSteppedUp(app.client);
    // Both start before either passes; the first to pass takes the number.
    const {
      startRealNameVerification: { realName: a },
    } = await first.client.ok(START, { input: { legalName: "周八", idNumber: number } });
    const {
      startRealNameVerification: { realName: b },
    } = await second.client.ok(START, { input: { legalName: "周八", idNumber: number } });
    await open(a.verifyUrl);
    await first.client.ok(REFRESH);
    await open(b.verifyUrl);
    expect((await second.client.ok(REFRESH)).refreshRealNameVerification.realName).toMatchObject({
      status: "FAILED",
      failureCode: "ID_NUMBER_TAKEN",
      failureReason: expect.stringContaining("another account"),
    });
    // Told at start, "taken" let anyone test ID numbers: a start looks like any other until the provider's check.
    const third = await registerSteppedUp(app.client);
    const {
      startRealNameVerification: { realName: c },
    } = await third.client.ok(START, { input: { legalName: "周八", idNumber: number } });
    expect(c.status).toBe("PENDING");
    await open(c.verifyUrl);
    expect((await third.client.ok(REFRESH)).refreshRealNameVerification.realName).toMatchObject({
      status: "FAILED",
      failureCode: "ID_NUMBER_TAKEN",
    });
  });

  it("passes one ID number on at most REAL_NAME_MAX_ACCOUNTS_PER_ID accounts, even refreshed in parallel", async () => {
    const number = idNumber();
    const users = await Promise.all(Array.from({ length: 6 }, () => registerSteppedUp(app.client)));
    for (const user of users) {
      const {
        startRealNameVerification: { realName: started },
      } = await user.client.ok(START, { input: { legalName: "冯一", idNumber: number } });
      await open(started.verifyUrl);
    }
    const outcomes = await Promise.all(users.map(async (user) => (await user.client.ok(REFRESH)).refreshRealNameVerification.realName));
    expect(outcomes.map((outcome) => outcome.failureCode ?? outcome.status).sort()).toEqual([
      "ID_NUMBER_TAKEN",
      "ID_NUMBER_TAKEN",
      "ID_NUMBER_TAKEN",
      "ID_NUMBER_TAKEN",
      "ID_NUMBER_TAKEN",
      "PASSED",
    ]);
    expect(
      await app.dataSource.getRepository(RealNameCheckEntity).countBy({ status: "PASSED", accountId: In(users.map((user) => user.id)) }),
    ).toBe(1);
  });

  it("answers NOT_STARTED, and a refresh before any start changes nothing", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await user.client.ok(STATUS)).me).toEqual({
      realName: {
        status: "NOT_STARTED",
        maskedName: null,
        maskedIdNumber: null,
        verifyUrl: null,
        verifiedAt: null,
        failureReason: null,
        failureCode: null,
      },
      capabilities: { canPurchase: false },
    });
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("NOT_STARTED");
  });

  it("needs a step-up once the account has a second factor", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(START, { input: { legalName: "吴九", idNumber: idNumber() } })).extensions?.code).toBe(
      "STEP_UP_REQUIRED",
    );
    await stepUp(app, user.client, "EMAIL", email);
    expect(
      (await user.client.ok(START, { input: { legalName: "吴九", idNumber: idNumber() } })).startRealNameVerification.realName.status,
    ).toBe("PENDING");
  });

  it("counts a check still not passed after the pending timeout as failed", async () => {
    const user = await registerSteppedUp(app.client);
    await user.client.ok(START, { input: { legalName: "郑十", idNumber: idNumber() } });
    app.clock.advanceSeconds(1801);
    expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName).toMatchObject({
      status: "FAILED",
      failureCode: "TIMED_OUT",
      failureReason: "The verification was not completed in time; start it again.",
    });
  });
});

describe("starts", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ TRUST_PROXY: "true", RATE_LIMIT_REAL_NAME_ACCOUNT: "2/86400", RATE_LIMIT_REAL_NAME_IP: "3/86400" });
  });
  afterAll(() => limited.stop());

  it("are limited per account and per IP; one refused by the account's budget costs the IP nothing", async () => {
    const ip = { "x-forwarded-for": "2001:db8:7:7::1" };
    const [first, second] = [await registerSteppedUp(limited.client), await registerSteppedUp(limited.client)];
    const start = (user: RegisteredUser, headers = ip) =>
      user.client.with(headers).request(START, { input: { legalName: "陈二", idNumber: idNumber() } });
    const code = async (user: RegisteredUser, headers = ip) => (await start(user, headers)).errors?.[0].extensions?.code ?? "OK";
    expect([await code(first), await code(first), await code(first)]).toEqual(["OK", "OK", "RATE_LIMITED"]);
    // The same /64 is the same IP.
    expect(await code(second, { "x-forwarded-for": "2001:db8:7:7:abcd::2" })).toBe("OK");
    expect(await code(second)).toBe("RATE_LIMITED");
    expect(await code(second, { "x-forwarded-for": "2001:db8:7:8::1" })).toBe("OK");
  });
});

describe("malformed input changes nothing", () => {
  let user: RegisteredUser;
  beforeAll(async () => {
    user = await registerSteppedUp(app.client);
  });

  it.each([
    ["a bad check character", { legalName: "张三", idNumber: "110105194912310021" }, "idNumber", "check character"],
    [
      "a birth date in the future",
      {
        legalName: "张三",
        idNumber: (() => {
          const f = "11010520990101002";
          return f + checkCharacter(f);
        })(),
      },
      "idNumber",
      "future",
    ],
    [
      "an impossible birth date",
      {
        legalName: "张三",
        idNumber: (() => {
          const f = "11010519900230002";
          return f + checkCharacter(f);
        })(),
      },
      "idNumber",
      "impossible",
    ],
    ["a 15-digit legacy number", { legalName: "张三", idNumber: "110105491231002" }, "idNumber", "15-digit"],
    ["a one-character name", { legalName: "张", idNumber: "11010519491231002X" }, "legalName", "legalName"],
    ["a name with digits", { legalName: "张三3", idNumber: "11010519491231002X" }, "legalName", "legalName"],
    ["a name with a zero-width space", { legalName: "张\u200B三", idNumber: "11010519491231002X" }, "legalName", "legalName"],
    [
      "a returnUrl on another origin",
      { legalName: "张三", idNumber: "11010519491231002X", returnUrl: "https://evil.example.net/back" },
      "returnUrl",
      "REDIRECT_ORIGINS",
    ],
  ])("%s", async (_case, input, field, message) => {
    const error = await user.client.fails(START, { input });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    const code = { idNumber: "INVALID_ID_NUMBER", legalName: "INVALID_FORMAT", returnUrl: "REDIRECT_NOT_ALLOWED" }[field];
    expect(error.extensions?.fieldErrors?.[0]).toEqual({ field, code, params: {}, messages: [expect.stringContaining(message)] });
    expect((await user.client.ok(STATUS)).me.realName.status).toBe("NOT_STARTED");
  });
});
