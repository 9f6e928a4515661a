import { randomInt } from "node:crypto";
import { IsNull, Not } from "typeorm";
import { auditTypes, DEFAULT_PASSWORD, LOGIN, ME, uniqueUsername, type RegisteredUser, registerSteppedUp } from "./helpers/accounts";
import { AuditEventEntity, ChallengeEntity, IdentityEntity } from "../src/entities";
import { bindContact } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const REQUEST_RESET = /* GraphQL */ `
  mutation RequestReset($identifier: String!) {
    requestPasswordReset(input: { identifier: $identifier }) {
      identifier
    }
  }
`;
const RESET = /* GraphQL */ `
  mutation Reset($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      revokedSessionCount
      revokedApiKeyCount
    }
  }
`;
const START_BINDING = /* GraphQL */ `
  mutation Start($kind: ContactKind!, $address: String!) {
    startContactBinding(input: { kind: $kind, address: $address }) {
      challenge {
        id
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

const CODE_IN_MAIL = /验证码是 (\d{6})/;
const NEW_PASSWORD = "a-fresh-Reset-passphrase-51";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

function uniqueEmail(): string {
  return `${uniqueUsername("pr")}@example.com`;
}

function uniquePhone(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The first code mail to `address` after the `seen` first mails (notices are skipped). */
function codeMail(address: string, seen: number) {
  return eventually(() =>
    app.smtp
      .mailsTo(address)
      .slice(seen)
      .find((m) => CODE_IN_MAIL.test(m.text)),
  );
}

async function mailedCode(address: string, seen: number): Promise<string> {
  return CODE_IN_MAIL.exec((await codeMail(address, seen)).text)![1];
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

function noticeMail(address: string, seen: number, what: string) {
  return eventually(() =>
    app.smtp
      .mailsTo(address)
      .slice(seen)
      .find((m) => m.subject.includes("Security notice") && m.text.includes(what)),
  );
}

function noticeSms(phone: string, seen: number) {
  return eventually(() =>
    app
      .smsTo(phone)
      .slice(seen)
      .find((m) => m.templateParam.event !== undefined),
  );
}

/** Binds an address and waits for the "bound" notice (to the address itself: these accounts bind one contact only). */
async function bind(client: GraphQLClient, kind: "EMAIL" | "PHONE", address: string): Promise<void> {
  if (kind === "EMAIL") {
    const seen = app.smtp.mailsTo(address).length;
    const { startContactBinding } = await client.ok(START_BINDING, { kind, address });
    await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code: await mailedCode(address, seen) });
    await noticeMail(address, seen, "was bound to your account");
  } else {
    const seen = app.smsTo(address).length;
    const { startContactBinding } = await client.ok(START_BINDING, { kind, address });
    await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code: await smsCode(address, seen) });
    await noticeSms(address, seen);
  }
}

async function userWithEmail(): Promise<RegisteredUser & { email: string }> {
  const user = await registerSteppedUp(app.client);
  const email = uniqueEmail();
  await bind(user.client, "EMAIL", email);
  return { ...user, email };
}

/** Reset codes of an account sent to `target` (an address nobody may recover gets a decoy of no account: tests/enumeration.test.ts). */
function resetChallengesTo(target: string): Promise<number> {
  return app.dataSource.getRepository(ChallengeEntity).countBy({ purpose: "PASSWORD_RESET", target, accountId: Not(IsNull()) });
}

/**
 * Asks for a reset code and returns it once it is usable. The server sends the code in the background
 * and records the challenge only after the provider accepted it, so the message can arrive a moment
 * before the challenge is committed: wait for both.
 */
async function requestResetCode(identifier: string, kind: "EMAIL" | "PHONE", address: string): Promise<string> {
  const challengesBefore = await resetChallengesTo(address);
  const seen = kind === "EMAIL" ? app.smtp.mailsTo(address).length : app.smsTo(address).length;
  expect((await app.client.ok(REQUEST_RESET, { identifier })).requestPasswordReset).toEqual({ identifier });
  const code = kind === "EMAIL" ? await mailedCode(address, seen) : await smsCode(address, seen);
  await eventually(async () => ((await resetChallengesTo(address)) > challengesBefore ? true : undefined));
  return code;
}

function requestEmailCode(identifier: string, email: string): Promise<string> {
  return requestResetCode(identifier, "EMAIL", email);
}

async function reset(identifier: string, code: string, newPassword = NEW_PASSWORD) {
  return app.client.request(RESET, { input: { identifier, code, newPassword } });
}

/** "AuthPayload" or the error code of a sign-in. */
async function loginCode(identifier: string, password: string): Promise<string> {
  const result = await app.client.request(LOGIN, { input: { identifier, password } });
  return result.errors?.[0].extensions?.code ?? result.data!.login.result.__typename;
}

async function signIn(identifier: string, password: string): Promise<GraphQLClient> {
  const data = await app.client.ok(LOGIN, { input: { identifier, password } });
  return app.client.as(data.login.result.token);
}

function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

// First: the fake Aliyun gateway refuses timestamps more than 15 minutes off, and later tests move the clock.
describe("reset by phone", () => {
  it("sends an SMS code and accepts the number in any spelling", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    await bind(user.client, "PHONE", phone);
    const national = phone.slice(3); // 139xxxxxxxx
    const spaced = `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    const dashed = `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;

    const seen = app.smtp.messages.length;
    const smsSeen = app.smsTo(phone).length;
    const code = await requestResetCode(spaced, "PHONE", phone);
    expect(app.smsTo(phone)[smsSeen].templateCode).toBe("SMS_100000001");
    expect(app.smtp.messages.length).toBe(seen); // no email is bound: nothing goes by mail

    const noticesSeen = app.smsTo(phone).length;
    expect((await reset(dashed, code)).data).toEqual({ resetPassword: { revokedSessionCount: 1, revokedApiKeyCount: 0 } });
    expect((await user.client.ok(ME)).me).toBeNull();
    expect(await loginCode(national, NEW_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(phone, DEFAULT_PASSWORD)).toBe("INVALID_CREDENTIALS");
    const notice = await noticeSms(phone, noticesSeen);
    expect(notice).toMatchObject({ templateCode: "SMS_100000002", templateParam: { event: "密码已重置" } });
  });
});

describe("reset by email", () => {
  it("mails a code; the reset signs out every session, swaps the password, is logged and noticed", async () => {
    const user = await userWithEmail();
    const second = await signIn(user.username, DEFAULT_PASSWORD);
    const third = await signIn(user.email, DEFAULT_PASSWORD);

    const seen = app.smtp.mailsTo(user.email).length;
    const code = await requestEmailCode(`  ${user.email.toUpperCase()} `, user.email);
    const mail = await codeMail(user.email, seen);
    expect(mail.text).toContain("reset your password");
    expect(mail.text).toContain(code);

    const noticesSeen = app.smtp.mailsTo(user.email).length;
    expect((await reset(user.email, code)).data).toEqual({ resetPassword: { revokedSessionCount: 3, revokedApiKeyCount: 0 } });

    for (const client of [user.client, second, third]) expect((await client.ok(ME)).me).toBeNull();
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("INVALID_CREDENTIALS");
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("INVALID_CREDENTIALS");
    // A failed sign-in is logged after its answer: let both land before the sign-ins that follow.
    await eventually(async () =>
      (await app.dataSource.getRepository(AuditEventEntity).countBy({ accountId: user.id, type: "SIGN_IN_FAILED" })) === 2
        ? true
        : undefined,
    );
    const fresh = await signIn(user.email, NEW_PASSWORD);
    expect((await fresh.ok(ME)).me.id).toBe(user.id);
    expect(await loginCode(user.username, NEW_PASSWORD)).toBe("AuthPayload");

    const types = await auditTypes(fresh);
    // newest first: the two sign-ins and two failed ones above, the reset, the code it used
    expect(types.slice(0, 6)).toEqual(["SIGN_IN", "SIGN_IN", "SIGN_IN_FAILED", "SIGN_IN_FAILED", "PASSWORD_RESET", "CODE_SENT"]);
    expect((await fresh.ok(`{ me { sessions { nodes { id } } } }`)).me.sessions.nodes).toHaveLength(2); // the two sign-ins after the reset

    const notice = await noticeMail(user.email, noticesSeen, "reset with a verification code");
    expect(notice.subject).toContain("Security notice");
  });

  it("refuses a used code with CODE_INVALID", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    const noticesSeen = app.smtp.mailsTo(user.email).length;
    expect((await reset(user.email, code)).data).toEqual({ resetPassword: { revokedSessionCount: 1, revokedApiKeyCount: 0 } });
    await noticeMail(user.email, noticesSeen, "reset with a verification code");
    expect((await reset(user.email, code, "second-Reset-passphrase-88")).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.email, NEW_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.email, "second-Reset-passphrase-88")).toBe("INVALID_CREDENTIALS");
  });
});

describe("a reset (issue 16)", () => {
  it("revokes every API key, and the notice says so", async () => {
    const user = await userWithEmail();
    const { createApiKey } = await user.client.ok(`mutation { createApiKey(input: { name: "ci" }) { secret } }`);
    const key = app.client.as(createApiKey.secret);
    expect((await key.ok(`{ me { id } }`)).me).toEqual({ id: user.id });
    const code = await requestEmailCode(user.email, user.email);
    const noticesSeen = app.smtp.mailsTo(user.email).length;
    expect((await reset(user.email, code)).data).toEqual({ resetPassword: { revokedSessionCount: 1, revokedApiKeyCount: 1 } });
    expect((await key.ok(`{ me { id } }`)).me).toBeNull();
    const notice = await noticeMail(user.email, noticesSeen, "reset with a verification code");
    expect(notice.text).toContain("every API key revoked");
  });
});

describe("a reset code dies with its address (issue 16)", () => {
  it("when the address is unbound", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    const seen = app.smtp.mailsTo(user.email).length;
    const { startContactUnbinding } = await user.client.ok(
      `mutation { startContactUnbinding(input: { kind: EMAIL }) { challenge { id } } }`,
    );
    await user.client.ok(
      `mutation($id: ID!, $code: String!) { confirmContactUnbinding(input: { challengeId: $id, code: $code }) { account { id } } }`,
      {
        id: startContactUnbinding.challenge.id,
        code: await mailedCode(user.email, seen),
      },
    );
    expect((await reset(user.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("AuthPayload");
  });

  it("when the address is replaced", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    await bindContact(app, user.client, "EMAIL", uniqueEmail());
    expect((await reset(user.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("AuthPayload");
  });

  it("and resetPassword checks the address is still bound to that account", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    // Gone without the workflow that retires its codes (e.g. a row removed by an operator).
    await app.dataSource.getRepository(IdentityEntity).delete({ accountId: user.id, subject: user.email });
    expect((await reset(user.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.username, DEFAULT_PASSWORD)).toBe("AuthPayload");
  });
});

describe("requestPasswordReset tells nothing", () => {
  async function expectNothingSent(identifier: string, watched: { email?: string; phone?: string } = {}) {
    const mails = app.smtp.messages.length;
    const sms = app.sms.messages.length;
    const watchedMails = watched.email ? app.smtp.mailsTo(watched.email).length : 0;
    const watchedSms = watched.phone ? app.smsTo(watched.phone).length : 0;
    const result = await app.client.request(REQUEST_RESET, { identifier });
    expect(result).toEqual({ status: 200, data: { requestPasswordReset: { identifier } } });
    await pause(300);
    expect(app.smtp.messages.length).toBe(mails);
    expect(app.sms.messages.length).toBe(sms);
    if (watched.email) expect(app.smtp.mailsTo(watched.email)).toHaveLength(watchedMails);
    if (watched.phone) expect(app.smsTo(watched.phone)).toHaveLength(watchedSms);
    for (const address of [watched.email, watched.phone]) if (address) expect(await resetChallengesTo(address)).toBe(0);
  }

  it("answers true and sends nothing for an unknown email", async () => {
    const email = uniqueEmail();
    await expectNothingSent(email, { email });
  });

  it("answers true and sends nothing for an unknown phone", async () => {
    const phone = uniquePhone();
    await expectNothingSent(phone, { phone });
  });

  it("answers true and sends nothing for a username, even one with a bound email", async () => {
    const user = await userWithEmail();
    await expectNothingSent(user.username, { email: user.email });
    await expectNothingSent(user.username.toUpperCase(), { email: user.email });
  });

  it.each(["not an address!", "bob@", "@@", "010 6552 9988"])("answers true and sends nothing for %j", async (identifier) => {
    await expectNothingSent(identifier);
  });

  it("refuses an empty identifier with BAD_USER_INPUT", async () => {
    const error = await app.client.fails(REQUEST_RESET, { identifier: "" });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["identifier"]);
  });
});

describe("resetPassword refuses", () => {
  it("a wrong code with CODE_INVALID; after five wrong ones even the right code, with CODE_INVALID as for an address nobody has", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    const wrong = otherCode(code);
    for (let i = 0; i < 5; i++) {
      expect((await reset(user.email, wrong)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    }
    expect((await reset(user.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });

    expect((await user.client.ok(ME)).me.id).toBe(user.id); // still signed in
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.email, NEW_PASSWORD)).toBe("INVALID_CREDENTIALS");
    // Failed codes are logged after their answers.
    const types = await eventually(async () => {
      const logged = await auditTypes(user.client);
      return logged.filter((t) => t === "CODE_FAILED").length >= 5 ? logged : undefined;
    });
    expect(types.filter((t) => t === "CODE_FAILED")).toHaveLength(5);
    expect(types).not.toContain("PASSWORD_RESET");
  });

  it("an identifier that was sent no code with CODE_INVALID", async () => {
    expect((await reset(uniqueEmail(), "123456")).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect((await reset(uniquePhone(), "123456")).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    // the code is for the email: the username of the same account does not take it
    expect((await reset(user.username, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    // nor does another user's email
    const other = await userWithEmail();
    expect((await reset(other.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(other.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
  });

  it.each([
    ["too short", "Ab3$xyz"],
    ["one of the most common", "password123"],
    ["one repeated character", "zzzzzzzzzzzz"],
  ])("a new password that is %s with BAD_USER_INPUT, changing nothing and keeping the code", async (_case, weak) => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    const error = (await reset(user.email, code, weak)).errors?.[0];
    expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error?.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["newPassword"]);
    expect((await user.client.ok(ME)).me.id).toBe(user.id);
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.email, weak)).toBe("INVALID_CREDENTIALS");
    expect(await auditTypes(user.client)).not.toContain("PASSWORD_RESET");
    // the code was not used up by the refused attempt
    const noticesSeen = app.smtp.mailsTo(user.email).length;
    expect((await reset(user.email, code)).data).toEqual({ resetPassword: { revokedSessionCount: 2, revokedApiKeyCount: 0 } });
    await noticeMail(user.email, noticesSeen, "reset with a verification code");
  });

  it("a code that is not 6 digits with BAD_USER_INPUT on code", async () => {
    const error = (await reset(uniqueEmail(), "12345")).errors?.[0];
    expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error?.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["code"]);
  });
});

describe("a second request", () => {
  it("within the resend cooldown answers the same but sends nothing; after it, supersedes the first code", async () => {
    const user = await userWithEmail();
    const first = await requestEmailCode(user.email, user.email);

    const seen = app.smtp.mailsTo(user.email).length;
    expect((await app.client.ok(REQUEST_RESET, { identifier: user.email })).requestPasswordReset).toEqual({ identifier: user.email });
    await pause(300);
    expect(app.smtp.mailsTo(user.email)).toHaveLength(seen); // RATE_LIMITED in the background, not reported
    expect(await resetChallengesTo(user.email)).toBe(1);

    app.clock.advanceSeconds(app.config.codes.resendCooldownSeconds + 1);
    const second = await requestEmailCode(user.email, user.email);
    expect(app.smtp.mailsTo(user.email)).toHaveLength(seen + 1);
    if (second === first) return; // one chance in a million: the two codes cannot be told apart

    expect((await reset(user.email, first)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    const noticesSeen = app.smtp.mailsTo(user.email).length;
    expect((await reset(user.email, second)).data).toEqual({ resetPassword: { revokedSessionCount: 2, revokedApiKeyCount: 0 } });
    expect(await loginCode(user.email, NEW_PASSWORD)).toBe("AuthPayload");
    await noticeMail(user.email, noticesSeen, "reset with a verification code");
  });
});

// Last: it moves the clock past the code lifetime.
describe("an expired code", () => {
  it("is refused with CODE_INVALID, as for an address nobody has, and changes nothing", async () => {
    const user = await userWithEmail();
    const code = await requestEmailCode(user.email, user.email);
    expect(app.config.codes.ttlSeconds).toBe(600);
    app.clock.advanceSeconds(11 * 60);
    expect((await reset(user.email, code)).errors?.[0].extensions).toEqual({ code: "CODE_INVALID" });
    expect((await user.client.ok(ME)).me.id).toBe(user.id);
    expect(await loginCode(user.email, DEFAULT_PASSWORD)).toBe("AuthPayload");
    expect(await loginCode(user.email, NEW_PASSWORD)).toBe("INVALID_CREDENTIALS");
  });
});
