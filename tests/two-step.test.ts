import { auditTypes, DEFAULT_PASSWORD, ME, type RegisteredUser, registerSteppedUp, letStepUpLapse } from "./helpers/accounts";
import { bindContact, CONFIRM_UNBINDING, START_UNBINDING, stepUp, uniqueEmail, uniquePhone } from "./helpers/contacts";
import { codeNow, enrolTotp, SECURITY, stepUpWith } from "./helpers/second-factors";
import { startTestApp, type TestApp } from "./helpers/test-server";

const SET = `mutation($on: Boolean!) { setTwoStepVerification(input: { enabled: $on }) { account { security { twoStepEnabled twoStepMethods } } } }`;
const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      result {
        __typename
        ... on AuthPayload {
          token
          account {
            id
          }
        }
        ... on TwoStepChallenge {
          id
          challengeId
          methods
          expiresAt
        }
      }
    }
  }
`;
const SEND = `mutation($id: ID!, $m: VerificationMethod!) { sendTwoStepCode(input: { challengeId: $id, method: $m }) { challenge { id method maskedTarget expiresAt resendAvailableAt } } }`;
const COMPLETE = `mutation($id: ID!, $m: VerificationMethod!, $code: String!) { completeTwoStep(input: { challengeId: $id, method: $m, code: $code }) { token expiresAt account { id } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

async function signIn(user: RegisteredUser, password = DEFAULT_PASSWORD) {
  return app.client.request(LOGIN, { input: { identifier: user.username, password } });
}

async function twoStepChallenge(user: RegisteredUser) {
  const result = await signIn(user);
  expect(result.data?.login.result.__typename).toBe("TwoStepChallenge");
  const challenge = result.data!.login.result as { id: string; challengeId: string; methods: string[]; expiresAt: string };
  // The deprecated challengeId still answers, the same as id.
  expect(challenge.challengeId).toBe(challenge.id);
  return challenge;
}

describe("turning two-step verification on and off", () => {
  it("needs a second factor to turn on", async () => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(SET, { on: true });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "enabled" }] });
    expect((await user.client.ok(SECURITY)).me.security.twoStepEnabled).toBe(false);
  });

  it("turns on with an email bound, and off only after a step-up", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    expect((await user.client.ok(SET, { on: true })).setTwoStepVerification.account.security).toEqual({
      twoStepEnabled: true,
      twoStepMethods: ["EMAIL"],
    });
    await letStepUpLapse(app, user);
    expect((await user.client.fails(SET, { on: false })).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUp(app, user.client, "EMAIL", email);
    expect((await user.client.ok(SET, { on: false })).setTwoStepVerification.account.security.twoStepEnabled).toBe(false);
    expect(await auditTypes(user.client)).toEqual(expect.arrayContaining(["TWO_STEP_ENABLED", "TWO_STEP_DISABLED"]));
    expect((await signIn(user)).data?.login.result.__typename).toBe("AuthPayload");
  });

  it("turns itself off when the account's only second factor, its email, is unbound", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    await user.client.ok(SET, { on: true });
    await stepUp(app, user.client, "EMAIL", email);
    const seen = app.smtp.mailsTo(email).length;
    const { startContactUnbinding } = await user.client.ok(START_UNBINDING, { kind: "EMAIL" });
    await user.client.ok(CONFIRM_UNBINDING, { id: startContactUnbinding.challenge.id, code: await app.smtp.codeFor(email, seen) });
    expect((await user.client.ok(SECURITY)).me.security).toMatchObject({ twoStepEnabled: false, twoStepMethods: [] });
    expect(await auditTypes(user.client)).toEqual(expect.arrayContaining(["CONTACT_UNBOUND", "TWO_STEP_DISABLED"]));
    // Not a sign-in that asks for a factor the account no longer has.
    expect((await signIn(user)).data?.login.result.__typename).toBe("AuthPayload");
  });
});

describe("signing in with two-step verification on", () => {
  it("asks for a second factor instead of giving a session, and an email code finishes it", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("Two");
    await bindContact(app, user.client, "EMAIL", email);
    await user.client.ok(SET, { on: true });

    const challenge = await twoStepChallenge(user);
    expect(challenge.methods).toEqual(["EMAIL"]);
    const seen = app.smtp.mailsTo(email).length;
    const { sendTwoStepCode } = await app.client.ok(SEND, { id: challenge.id, m: "EMAIL" });
    expect(sendTwoStepCode.challenge).toMatchObject({
      id: challenge.id,
      method: "EMAIL",
      maskedTarget: "t***@example.com",
      expiresAt: challenge.expiresAt,
    });
    const code = await app.smtp.codeFor(email, seen);
    const { completeTwoStep } = await app.client.ok(COMPLETE, { id: challenge.id, m: "EMAIL", code });
    expect(completeTwoStep.account.id).toBe(user.id);
    expect((await app.client.as(completeTwoStep.token).ok(ME)).me.id).toBe(user.id);
    // The challenge is spent.
    expect((await app.client.fails(COMPLETE, { id: challenge.id, m: "EMAIL", code })).extensions?.code).toBe("CODE_INVALID");
  });

  it("finishes with an SMS code", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    await bindContact(app, user.client, "PHONE", phone);
    await user.client.ok(SET, { on: true });
    const challenge = await twoStepChallenge(user);
    expect(challenge.methods).toEqual(["SMS"]);
    const seen = app.smsTo(phone).length;
    await app.client.ok(SEND, { id: challenge.id, m: "SMS" });
    const code = await app.smsCodeFor(phone, seen);
    expect((await app.client.ok(COMPLETE, { id: challenge.id, m: "SMS", code })).completeTwoStep.account.id).toBe(user.id);
  });

  describe("with an authenticator app", () => {
    let user: RegisteredUser;
    let secret: string;
    let recoveryCodes: string[];
    beforeEach(async () => {
      user = await registerSteppedUp(app.client);
      ({ secret, recoveryCodes } = await enrolTotp(app, user.client));
      await user.client.ok(SET, { on: true });
    });

    it("finishes with the app's code, and refuses a replay of it", async () => {
      const challenge = await twoStepChallenge(user);
      expect(challenge.methods).toEqual(["TOTP", "RECOVERY_CODE"]);
      const code = codeNow(app, secret);
      await app.client.ok(COMPLETE, { id: challenge.id, m: "TOTP", code });
      const second = await twoStepChallenge(user);
      expect((await app.client.fails(COMPLETE, { id: second.id, m: "TOTP", code })).extensions?.code).toBe("CODE_INVALID");
    });

    it("finishes with a recovery code, once", async () => {
      const challenge = await twoStepChallenge(user);
      await app.client.ok(COMPLETE, { id: challenge.id, m: "RECOVERY_CODE", code: recoveryCodes[3] });
      const second = await twoStepChallenge(user);
      expect((await app.client.fails(COMPLETE, { id: second.id, m: "RECOVERY_CODE", code: recoveryCodes[3] })).extensions?.code).toBe(
        "CODE_INVALID",
      );
      expect((await user.client.ok(SECURITY)).me.security.recoveryCodesRemaining).toBe(9);
    });

    it("counts wrong codes of every method against one limit of five", async () => {
      const challenge = await twoStepChallenge(user);
      const attempts = [
        ["TOTP", "000000"],
        ["RECOVERY_CODE", "aaaaa-aaaaa"],
        ["TOTP", "111111"],
        ["EMAIL", "222222"],
        ["RECOVERY_CODE", "bbbbb-bbbbb"],
      ];
      for (const [m, code] of attempts) {
        expect((await app.client.fails(COMPLETE, { id: challenge.id, m, code })).extensions?.code).toBe("CODE_INVALID");
      }
      expect((await app.client.fails(COMPLETE, { id: challenge.id, m: "TOTP", code: codeNow(app, secret) })).extensions?.code).toBe(
        "TOO_MANY_ATTEMPTS",
      );
    });

    it("refuses to send the app's code, and a method the account does not have", async () => {
      const challenge = await twoStepChallenge(user);
      expect((await app.client.fails(SEND, { id: challenge.id, m: "TOTP" })).extensions?.code).toBe("BAD_USER_INPUT");
      expect((await app.client.fails(SEND, { id: challenge.id, m: "EMAIL" })).extensions?.code).toBe("BAD_USER_INPUT");
      expect((await app.client.fails(COMPLETE, { id: challenge.id, m: "EMAIL", code: "123456" })).extensions?.code).toBe("CODE_INVALID");
    });

    it("expires after 10 minutes", async () => {
      const challenge = await twoStepChallenge(user);
      app.clock.advanceSeconds(10 * 60 + 1);
      expect((await app.client.fails(COMPLETE, { id: challenge.id, m: "TOTP", code: codeNow(app, secret) })).extensions?.code).toBe(
        "CODE_EXPIRED",
      );
    });

    it("still refuses a wrong password before any second factor", async () => {
      const result = await signIn(user, "not-the-password");
      expect(result.errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    });

    it("turns itself off when the last second factor is removed", async () => {
      await stepUpWith(user.client, "TOTP", codeNow(app, secret));
      app.clock.advanceSeconds(30);
      await user.client.ok(`mutation($c: String!) { disableTotp(input: { code: $c }) { account { id } } }`, { c: codeNow(app, secret) });
      expect((await user.client.ok(SECURITY)).me.security).toMatchObject({ totpEnabled: false, twoStepEnabled: false, twoStepMethods: [] });
      expect((await signIn(user)).data?.login.result.__typename).toBe("AuthPayload");
    });
  });

  it.each([
    ["a challenge id that is not one", SEND, { id: "x", m: "EMAIL" }, "challengeId"],
    ["an unknown method", SEND, { id: "00000000-0000-4000-8000-000000000000", m: "PIGEON" }, "m"],
    ["a malformed code", COMPLETE, { id: "00000000-0000-4000-8000-000000000000", m: "TOTP", code: "12" }, "code"],
  ])("refuses %s", async (_case, document, variables, field) => {
    const error = await app.client.fails(document, variables);
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field }] });
  });

  it("answers an unknown challenge like a wrong code", async () => {
    const error = await app.client.fails(COMPLETE, { id: "00000000-0000-4000-8000-000000000000", m: "TOTP", code: "123456" });
    expect(error.extensions?.code).toBe("CODE_INVALID");
  });
});

describe("guessing authenticator codes across many challenges", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ RATE_LIMIT_SECOND_FACTOR_ACCOUNT: "3/900" });
  });
  afterAll(() => limited.stop());

  it("is stopped by the account's budget of wrong codes, even with a new challenge each time", async () => {
    const user = await registerSteppedUp(limited.client);
    const { secret } = await enrolTotp(limited, user.client);
    await user.client.ok(SET, { on: true });
    const login = () => limited.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });

    for (const wrong of ["000001", "000002", "000003"]) {
      const {
        login: { result: challenge },
      } = await login();
      expect((await limited.client.fails(COMPLETE, { id: challenge.id, m: "TOTP", code: wrong })).extensions?.code).toBe("CODE_INVALID");
    }
    const {
      login: { result: challenge },
    } = await login();
    const error = await limited.client.fails(COMPLETE, { id: challenge.id, m: "TOTP", code: codeNow(limited, secret) });
    expect(error.extensions?.code).toBe("RATE_LIMITED");
    expect(error.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});
