import { TotpCredentialEntity } from "../src/entities";
import { auditTypes, completeStepUp, type RegisteredUser, registerSteppedUp, letStepUpLapse } from "./helpers/accounts";
import { COMPLETE_STEP_UP, REQUEST_STEP_UP } from "./helpers/contacts";
import { codeNow, CONFIRM_TOTP, enrolTotp, SECURITY, START_TOTP, stepUpWith } from "./helpers/second-factors";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { hotp, base32Decode } from "./helpers/totp";

const DISABLE = `mutation($code: String!) { disableTotp(input: { code: $code }) { account { security { totpEnabled recoveryCodesRemaining } } } }`;
const REGENERATE = `mutation { regenerateRecoveryCodes { recoveryCodes } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

function stepNow(): number {
  return Math.floor(app.clock.now().getTime() / 30_000);
}

describe("enrolment", () => {
  it("gives a 160-bit base32 secret, its otpauth URI and a QR code, and keeps the secret sealed", async () => {
    const user = await registerSteppedUp(app.client);
    const { startTotpEnrollment } = await user.client.ok(START_TOTP);
    expect(startTotpEnrollment.enrollment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(startTotpEnrollment.enrollment.secret)).toHaveLength(20);
    expect(startTotpEnrollment.enrollment.otpauthUri).toBe(
      `otpauth://totp/Account%20Platform:${user.username}?secret=${startTotpEnrollment.enrollment.secret}&issuer=Account%20Platform&algorithm=SHA1&digits=6&period=30`,
    );
    expect(startTotpEnrollment.enrollment.qrCodeDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const row = await app.dataSource.getRepository(TotpCredentialEntity).findOneByOrFail({ accountId: user.id });
    expect(row.secretSealed).not.toContain(startTotpEnrollment.enrollment.secret);
    expect(row.secretSealed).toMatch(/^v1\.[\w-]+\./);
    expect((await user.client.ok(SECURITY)).me.security.totpEnabled).toBe(false);
  });

  it("activates with a code from the app and returns 10 single-use recovery codes", async () => {
    const user = await registerSteppedUp(app.client);
    const { recoveryCodes } = await enrolTotp(app, user.client);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect((await user.client.ok(SECURITY)).me.security).toEqual({
      hasPassword: true,
      totpEnabled: true,
      twoStepEnabled: false,
      twoStepMethods: ["TOTP", "RECOVERY_CODE"],
      recoveryCodesRemaining: 10,
    });
    expect(await auditTypes(user.client)).toContain("TOTP_ENABLED");
  });

  it("refuses a wrong code and a confirm without an enrolment", async () => {
    const user = await registerSteppedUp(app.client);
    expect((await user.client.fails(CONFIRM_TOTP, { code: "123456" })).extensions?.code).toBe("BAD_USER_INPUT");
    const { startTotpEnrollment } = await user.client.ok(START_TOTP);
    const wrong = hotp(base32Decode(startTotpEnrollment.enrollment.secret), stepNow() + 5);
    expect((await user.client.fails(CONFIRM_TOTP, { code: wrong })).extensions?.code).toBe("CODE_INVALID");
    expect((await user.client.ok(SECURITY)).me.security.totpEnabled).toBe(false);
  });

  it("keeps the old authenticator working until a re-enrolment is confirmed", async () => {
    const user = await registerSteppedUp(app.client);
    const old = await enrolTotp(app, user.client);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(START_TOTP)).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUpWith(user.client, "TOTP", codeNow(app, old.secret));
    const {
      startTotpEnrollment: { enrollment: fresh },
    } = await user.client.ok(START_TOTP);

    // Half-way through the re-enrolment the old app still proves the account.
    app.clock.advanceSeconds(30);
    await stepUpWith(user.client, "TOTP", codeNow(app, old.secret));

    await user.client.ok(CONFIRM_TOTP, { code: codeNow(app, fresh.secret) });
    app.clock.advanceSeconds(30);
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "TOTP" });
    expect(
      (await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: codeNow(app, old.secret) })).extensions?.code,
    ).toBe("CODE_INVALID");
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: codeNow(app, fresh.secret) });
  });
});

describe("step-up with the authenticator", () => {
  let user: RegisteredUser;
  let secret: string;
  beforeEach(async () => {
    user = await registerSteppedUp(app.client);
    ({ secret } = await enrolTotp(app, user.client));
  });

  it("shows the challenge without a target and accepts the current code once", async () => {
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "TOTP" });
    expect(requestStepUp.challenge).toEqual({ id: expect.any(String), method: "TOTP", maskedTarget: null });
    const code = codeNow(app, secret);
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
    // The same code again, on a new challenge, is a replay.
    const { requestStepUp: again } = await user.client.ok(REQUEST_STEP_UP, { method: "TOTP" });
    expect((await user.client.fails(COMPLETE_STEP_UP, { id: again.challenge.id, code })).extensions?.code).toBe("CODE_INVALID");
  });

  it("refuses a code from two steps ago, and accepts one from the step before", async () => {
    app.clock.advanceSeconds(30); // so the step before is not the one the enrolment used
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "TOTP" });
    const key = base32Decode(secret);
    expect(
      (await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: hotp(key, stepNow() - 2) })).extensions?.code,
    ).toBe("CODE_INVALID");
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: hotp(key, stepNow() - 1) });
  });

  it("accepts one of parallel replays of one code", async () => {
    const code = codeNow(app, secret);
    const challenges = await Promise.all(Array.from({ length: 5 }, () => user.client.ok(REQUEST_STEP_UP, { method: "TOTP" })));
    const results = await Promise.all(
      challenges.map(({ requestStepUp }) => user.client.request(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })),
    );
    const outcomes = results.map((r) => r.errors?.[0].extensions?.code ?? "OK");
    expect(outcomes.filter((code) => code === "OK")).toHaveLength(1);
    // The rest are replays, or came after the winner renewed the token they carried.
    expect(outcomes.filter((code) => code !== "OK").every((code) => code === "CODE_INVALID" || code === "UNAUTHENTICATED")).toBe(true);
    user.client.adopt(results.find((r) => !r.errors)!.data.completeStepUp.token);
  });

  it("counts wrong authenticator codes against the challenge's five tries", async () => {
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "TOTP" });
    const key = base32Decode(secret);
    for (let i = 0; i < 5; i++) {
      expect(
        (await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: hotp(key, stepNow() + 10 + i) })).extensions
          ?.code,
      ).toBe("CODE_INVALID");
    }
    expect(
      (await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: codeNow(app, secret) })).extensions?.code,
    ).toBe("TOO_MANY_ATTEMPTS");
  });
});

describe("recovery codes", () => {
  it("work once each, for step-up", async () => {
    const user = await registerSteppedUp(app.client);
    const { recoveryCodes } = await enrolTotp(app, user.client);
    await stepUpWith(user.client, "RECOVERY_CODE", recoveryCodes[0].toUpperCase().replace("-", " "));
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "RECOVERY_CODE" });
    expect((await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[0] })).extensions?.code).toBe(
      "CODE_INVALID",
    );
    expect(
      (await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[0].replace("-", "") })).extensions
        ?.code,
    ).toBe("CODE_INVALID");
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[1] });
    expect((await user.client.ok(SECURITY)).me.security.recoveryCodesRemaining).toBe(8);
  });

  it("are replaced by regenerateRecoveryCodes, which needs a step-up", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret, recoveryCodes } = await enrolTotp(app, user.client);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(REGENERATE)).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUpWith(user.client, "TOTP", codeNow(app, secret));
    const {
      regenerateRecoveryCodes: { recoveryCodes: fresh },
    } = await user.client.ok(REGENERATE);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[1]);
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "RECOVERY_CODE" });
    expect((await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: recoveryCodes[1] })).extensions?.code).toBe(
      "CODE_INVALID",
    );
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: fresh[1] });
    expect(await auditTypes(user.client)).toContain("RECOVERY_CODES_REGENERATED");
  });
});

describe("disabling", () => {
  it("needs a step-up and a current code, then removes the authenticator and its recovery codes", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await enrolTotp(app, user.client);
    await letStepUpLapse(app, user);
    expect((await user.client.fails(DISABLE, { code: codeNow(app, secret) })).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUpWith(user.client, "TOTP", codeNow(app, secret));
    app.clock.advanceSeconds(30);
    const wrong = hotp(base32Decode(secret), stepNow() + 7);
    expect((await user.client.fails(DISABLE, { code: wrong })).extensions?.code).toBe("CODE_INVALID");
    const { disableTotp } = await user.client.ok(DISABLE, { code: codeNow(app, secret) });
    expect(disableTotp.account.security).toEqual({ totpEnabled: false, recoveryCodesRemaining: 0 });
    expect(await auditTypes(user.client)).toContain("TOTP_DISABLED");
  });

  it.each([
    ["5 digits", "12345"],
    ["letters", "abcdef"],
    ["a recovery code", "abcde-fghij"],
  ])("refuses a code of %s as malformed", async (_case, code) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(DISABLE, { code });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "code" }] });
  });
});
