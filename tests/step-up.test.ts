import { randomInt } from "node:crypto";
import {
  auditTypes,
  completeStepUp,
  DEFAULT_PASSWORD,
  LOGIN,
  uniqueUsername,
  type RegisteredUser,
  registerSteppedUp,
  letStepUpLapse,
  renewing,
} from "./helpers/accounts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { enrolTotp } from "./helpers/second-factors";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const CHANGE_PASSWORD = /* GraphQL */ `
  mutation Change($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedSessionCount
      revokedApiKeyCount
      token
    }
  }
`;
const START_BINDING = /* GraphQL */ `
  mutation Start($kind: ContactKind!, $address: String!) {
    startContactBinding(input: { kind: $kind, address: $address }) {
      challenge {
        id
        method
        maskedTarget
        expiresAt
        resendAvailableAt
      }
    }
  }
`;
const CONFIRM_BINDING = /* GraphQL */ `
  mutation Confirm($id: ID!, $code: String!) {
    confirmContactBinding(input: { challengeId: $id, code: $code }) {
      account {
        id
        email {
          masked
        }
        phone {
          masked
        }
      }
    }
  }
`;
const REQUEST_STEP_UP = /* GraphQL */ `
  mutation StepUp($method: VerificationMethod!) {
    requestStepUp(input: { method: $method }) {
      challenge {
        id
        method
        maskedTarget
        expiresAt
      }
    }
  }
`;
const COMPLETE_STEP_UP = /* GraphQL */ `
  mutation CompleteStepUp($id: ID!, $code: String!) {
    completeStepUp(input: { challengeId: $id, code: $code }) {
      account {
        id
      }
      token
    }
  }
`;
const AUDIT_EVENTS = /* GraphQL */ `
  query {
    me {
      auditEvents(first: 100) {
        nodes {
          type
          ip
        }
      }
    }
  }
`;

const CODE_IN_MAIL = /验证码是 (\d{6})/;
const NEW_PASSWORD = "a-much-Better-passphrase-42";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

function uniqueEmail(): string {
  return `${uniqueUsername("su")}@example.com`;
}

function uniquePhone(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

/** The code of the first code mail to `address` after the `seen` first mails (notices are skipped). */
async function mailedCode(address: string, seen: number): Promise<string> {
  const mail = await eventually(() =>
    app.smtp
      .mailsTo(address)
      .slice(seen)
      .find((m) => CODE_IN_MAIL.test(m.text)),
  );
  return CODE_IN_MAIL.exec(mail.text)![1];
}

/** The code of the first code SMS to `phone` after the `seen` first SMS (notices are skipped). */
async function smsCode(phone: string, seen: number): Promise<string> {
  const sms = await eventually(() =>
    app
      .smsTo(phone)
      .slice(seen)
      .find((m) => m.templateParam.code !== undefined),
  );
  return sms.templateParam.code;
}

/** A security-notice mail to `address` after the `seen` first mails whose text says `what`. */
function noticeMail(address: string, seen: number, what: string) {
  return eventually(() =>
    app.smtp
      .mailsTo(address)
      .slice(seen)
      .find((m) => m.subject.includes("Security notice") && m.text.includes(what)),
  );
}

/** Binds an email through the public workflow and waits for the "bound" notice, so later counts are stable. */
async function bindEmail(client: GraphQLClient, email: string): Promise<void> {
  const seen = app.smtp.mailsTo(email).length;
  const { startContactBinding } = await client.ok(START_BINDING, { kind: "EMAIL", address: email });
  const code = await mailedCode(email, seen);
  await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code });
  await noticeMail(email, seen, "was bound to your account");
}

/** Binds a phone on an account without email; the "bound" notice goes to that phone by SMS. */
async function bindPhone(client: GraphQLClient, phone: string): Promise<void> {
  const seen = app.smsTo(phone).length;
  const { startContactBinding } = await client.ok(START_BINDING, { kind: "PHONE", address: phone });
  const code = await smsCode(phone, seen);
  await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code });
  await eventually(() =>
    app
      .smsTo(phone)
      .slice(seen)
      .find((m) => m.templateParam.event !== undefined),
  );
}

async function userWithEmail(): Promise<RegisteredUser & { email: string }> {
  const user = await registerSteppedUp(app.client);
  const email = uniqueEmail();
  await bindEmail(user.client, email);
  await letStepUpLapse(app, user);
  return { ...user, email };
}

/** A second, independent session of the same account. */
async function anotherSession(user: RegisteredUser): Promise<GraphQLClient> {
  const data = await app.client.ok(LOGIN, { input: { identifier: user.username, password: user.password } });
  return app.client.as(data.login.result.token);
}

async function loginCode(identifier: string, password: string): Promise<string> {
  const result = await app.client.request(LOGIN, { input: { identifier, password } });
  return result.errors?.[0].extensions?.code ?? result.data!.login.result.__typename;
}

async function stepUpByEmail(client: GraphQLClient, email: string): Promise<void> {
  const seen = app.smtp.mailsTo(email).length;
  const { requestStepUp } = await client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
  const code = await mailedCode(email, seen);
  await completeStepUp(client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
}

function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

describe("changePassword needs a step-up once a contact is bound", () => {
  it("refuses without a step-up and changes nothing", async () => {
    const user = await userWithEmail();
    const other = await anotherSession(user);

    const error = await user.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(error.extensions).toEqual({ code: "STEP_UP_REQUIRED" });

    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.username, NEW_PASSWORD)).toBe("INVALID_CREDENTIALS");
    expect((await other.ok(`{ me { id } }`)).me).toEqual({ id: user.id }); // other sessions were not signed out
    const types = await auditTypes(user.client);
    expect(types).not.toContain("PASSWORD_CHANGED");
    expect(types).not.toContain("PASSWORD_CHANGE_FAILED");
  });

  it("also refuses when only a phone is bound", async () => {
    const user = await registerSteppedUp(app.client);
    await bindPhone(user.client, uniquePhone());
    await letStepUpLapse(app, user);
    const error = await user.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(error.extensions).toEqual({ code: "STEP_UP_REQUIRED" });
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("AuthPayload");
  });

  it("asks nothing of an account with no contact bound", async () => {
    const user = await registerSteppedUp(app.client);
    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    ).toMatchObject({ revokedSessionCount: 0, revokedApiKeyCount: 0 });
    expect(await loginCode(user.username, NEW_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("INVALID_CREDENTIALS");
  });
});

describe("requestStepUp and completeStepUp", () => {
  it("keeps a session's pending code valid when another session of the account asks for one", async () => {
    const user = await userWithEmail();
    const other = await anotherSession(user); // the owner's other tab, or a thief's stolen session
    const seen = app.smtp.mailsTo(user.email).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(user.email, seen);
    app.clock.advanceSeconds(61); // past the address's resend cooldown
    await other.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    await mailedCode(user.email, seen + 1);
    await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
  });

  it("by email: the code unlocks changePassword, is logged, and the owner is told at the bound email", async () => {
    const user = await userWithEmail();
    const seen = app.smtp.mailsTo(user.email).length;

    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    expect(requestStepUp.challenge).toMatchObject({ method: "EMAIL", maskedTarget: `${user.email[0]}***@example.com` });
    expect(new Date(requestStepUp.challenge.expiresAt).getTime() - app.clock.now().getTime()).toBeGreaterThan(9 * 60 * 1000);
    const code = await mailedCode(user.email, seen);
    expect(app.smtp.mailsTo(user.email)[seen].text).toContain("confirm it is you before a security change");

    expect(await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).toEqual({
      account: { id: user.id },
      token: expect.stringMatching(/^ses_/),
    });
    const types = await auditTypes(user.client);
    expect(types[0]).toBe("STEP_UP_COMPLETED");
    expect(types[1]).toBe("CODE_SENT");
    expect((await user.client.ok(AUDIT_EVENTS)).me.auditEvents.nodes[0]).toEqual({
      type: "STEP_UP_COMPLETED",
      ip: expect.stringContaining("127.0.0.1"),
    });

    const beforeChange = app.smtp.mailsTo(user.email).length;
    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    ).toMatchObject({ revokedSessionCount: 0, revokedApiKeyCount: 0 });
    expect(await loginCode(user.email, NEW_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("INVALID_CREDENTIALS");
    expect(await auditTypes(user.client)).toContain("PASSWORD_CHANGED");

    const notice = await noticeMail(user.email, beforeChange, "The password of your account was changed.");
    expect(notice.subject).toContain("Security notice");
    expect(notice.text).not.toMatch(CODE_IN_MAIL);
  });

  it("by SMS when a phone is bound", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    await bindPhone(user.client, phone);
    const seen = app.smsTo(phone).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "SMS" });
    expect(requestStepUp.challenge.method).toBe("SMS");
    expect(requestStepUp.challenge.maskedTarget).toBe(`+86 139****${phone.slice(-4)}`);
    const code = await smsCode(phone, seen);
    expect(await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).toEqual({
      account: { id: user.id },
      token: expect.stringMatching(/^ses_/),
    });
    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    ).toMatchObject({ revokedSessionCount: 0, revokedApiKeyCount: 0 });
    expect(await loginCode(phone, NEW_PASSWORD)).toBe("AuthPayload");
  });

  it("belongs to the session that stepped up, not to the account", async () => {
    const user = await userWithEmail();
    const other = await anotherSession(user);
    await stepUpByEmail(user.client, user.email);

    const error = await other.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(error.extensions).toEqual({ code: "STEP_UP_REQUIRED" });
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("AuthPayload");

    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    ).toMatchObject({ revokedSessionCount: 2, revokedApiKeyCount: 0 }); // other, and loginCode's
  });

  it("refuses SMS without a bound phone, with BAD_USER_INPUT on method, and sends nothing", async () => {
    const user = await userWithEmail();
    const smsBefore = app.sms.messages.length;
    const mailsBefore = app.smtp.messages.length;
    const error = await user.client.fails(REQUEST_STEP_UP, { method: "SMS" });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["method"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.sms.messages.length).toBe(smsBefore);
    expect(app.smtp.messages.length).toBe(mailsBefore);
  });

  it("refuses EMAIL without a bound email", async () => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(REQUEST_STEP_UP, { method: "EMAIL" });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["method"]);
  });

  it.each(["TOTP", "RECOVERY_CODE"])("refuses %s (not set up) with BAD_USER_INPUT on method", async (method) => {
    const user = await userWithEmail();
    const error = await user.client.fails(REQUEST_STEP_UP, { method });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["method"]);
  });

  it("needs a session", async () => {
    expect((await app.client.fails(REQUEST_STEP_UP, { method: "EMAIL" })).extensions?.code).toBe("UNAUTHENTICATED");
    const error = await app.client.fails(COMPLETE_STEP_UP, { id: "00000000-0000-4000-8000-000000000000", code: "123456" });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a wrong code with CODE_INVALID and does not step up", async () => {
    const user = await userWithEmail();
    const seen = app.smtp.mailsTo(user.email).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(user.email, seen);
    const error = await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code: otherCode(code) });
    expect(error.extensions).toEqual({ code: "CODE_INVALID" });
    const change = await user.client.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(change.extensions?.code).toBe("STEP_UP_REQUIRED");
    // A failed code is logged after its answer.
    await eventually(async () => ((await auditTypes(user.client)).includes("CODE_FAILED") ? true : undefined));
  });

  it("refuses another session's challenge with CODE_INVALID, even with its right code", async () => {
    const user = await userWithEmail();
    const other = await anotherSession(user);
    const seen = app.smtp.mailsTo(user.email).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(user.email, seen);

    const error = await other.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
    expect(error.extensions).toEqual({ code: "CODE_INVALID" });
    const change = await other.fails(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(change.extensions?.code).toBe("STEP_UP_REQUIRED");

    // the owner of the challenge can still use it
    expect(await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).toEqual({
      account: { id: user.id },
      token: expect.stringMatching(/^ses_/),
    });
  });

  it("refuses another account's challenge with CODE_INVALID", async () => {
    const owner = await userWithEmail();
    const stranger = await userWithEmail();
    const seen = app.smtp.mailsTo(owner.email).length;
    const { requestStepUp } = await owner.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(owner.email, seen);
    expect((await stranger.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).extensions).toEqual({
      code: "CODE_INVALID",
    });
  });

  it("cannot use a step-up code twice", async () => {
    const user = await userWithEmail();
    const seen = app.smtp.mailsTo(user.email).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(user.email, seen);
    expect(await completeStepUp(user.client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).toEqual({
      account: { id: user.id },
      token: expect.stringMatching(/^ses_/),
    });
    const other = await anotherSession(user);
    expect((await user.client.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).extensions).toEqual({
      code: "CODE_INVALID",
    });
    expect((await other.fails(COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code })).extensions).toEqual({ code: "CODE_INVALID" });
  });

  it("renews the session's token: the one it carried, and any copy of it, stop working and never gain the step-up", async () => {
    const user = await userWithEmail();
    const copy = app.client.as(user.token); // what a thief who read the token before the step-up holds
    const CURRENT = `{ me { sessions { nodes { id current } } } }`;
    const before = (await user.client.ok(CURRENT)).me.sessions.nodes.find((each: { current: boolean }) => each.current).id;

    const seen = app.smtp.mailsTo(user.email).length;
    const { requestStepUp } = await user.client.ok(REQUEST_STEP_UP, { method: "EMAIL" });
    const code = await mailedCode(user.email, seen);
    const { completeStepUp } = await copy.ok(
      `mutation($id: ID!, $code: String!) { completeStepUp(input: { challengeId: $id, code: $code }) { token account { security { stepUpValidUntil stepUpRequiredFor } } } }`,
      { id: requestStepUp.challenge.id, code },
    );
    // The payload answers as the renewed session: its step-up is in force.
    expect(completeStepUp.account.security).toEqual({ stepUpValidUntil: expect.any(String), stepUpRequiredFor: [] });
    expect(completeStepUp.token).not.toBe(user.token);

    // Whoever carried the old token, the owner's tab included, is signed out of this session ...
    expect((await copy.ok(CURRENT)).me).toBeNull();
    expect((await user.client.ok(CURRENT)).me).toBeNull();
    const change = { input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD } };
    expect((await copy.fails(CHANGE_PASSWORD, change)).extensions?.code).toBe("UNAUTHENTICATED");
    // ... and the new token is the same session, stepped up.
    const renewed = app.client.as(completeStepUp.token);
    expect((await renewed.ok(CURRENT)).me.sessions.nodes).toContainEqual({ id: before, current: true });
    expect((await renewed.ok(CHANGE_PASSWORD, change)).changePassword).toMatchObject({ revokedSessionCount: 0, revokedApiKeyCount: 0 });
  });

  it("of two parallel step-ups of one session, completes one: the other token is not handed out dead", async () => {
    const user = await registerSteppedUp(app.client);
    const { recoveryCodes } = await enrolTotp(app, user.client);
    const challenges = await Promise.all(
      recoveryCodes.slice(0, 2).map(async (code) => ({
        id: (await user.client.ok(REQUEST_STEP_UP, { method: "RECOVERY_CODE" })).requestStepUp.challenge.id,
        code,
      })),
    );
    const results = await Promise.all(challenges.map((challenge) => user.client.request(COMPLETE_STEP_UP, challenge)));
    // Both carried the same token: one renews it, the other is refused however they interleave.
    expect(results.map((result) => result.errors?.[0].extensions?.code ?? "OK").sort()).toEqual(["OK", "UNAUTHENTICATED"]);
    const renewed = app.client.as(results.find((result) => !result.errors)!.data.completeStepUp.token);
    expect((await renewed.ok(`{ me { id } }`)).me).toEqual({ id: user.id });
  });

  // Last: it moves the clock forward by more than the step-up TTL.
  it("expires STEP_UP_TTL_SECONDS after it was completed", async () => {
    const ttl = app.config.stepUpTtlSeconds;
    expect(ttl).toBe(600);
    const user = await userWithEmail();
    await stepUpByEmail(user.client, user.email);

    app.clock.advanceSeconds(ttl - 10);
    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    ).toMatchObject({ revokedSessionCount: 0, revokedApiKeyCount: 0 });

    app.clock.advanceSeconds(11);
    const error = await user.client.fails(CHANGE_PASSWORD, {
      input: { oldPassword: NEW_PASSWORD, newPassword: "yet-Another-passphrase-7" },
    });
    expect(error.extensions).toEqual({ code: "STEP_UP_REQUIRED" });
    expect(await loginCode(user.username, NEW_PASSWORD)).toBe("AuthPayload");

    // a new step-up on the same session unlocks it again
    await stepUpByEmail(user.client, user.email);
    expect(
      await renewing(user.client, "changePassword", CHANGE_PASSWORD, {
        input: { oldPassword: NEW_PASSWORD, newPassword: "yet-Another-passphrase-7" },
      }),
    ).toMatchObject({ revokedSessionCount: 1, revokedApiKeyCount: 0 }); // loginCode's
  });
});
