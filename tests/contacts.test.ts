import { auditTypes, DEFAULT_PASSWORD, LOGIN, ME, registerSteppedUp, letStepUpLapse } from "./helpers/accounts";
import {
  bindContact,
  codeSentTo,
  CONFIRM_BINDING,
  CONFIRM_UNBINDING,
  sentCount,
  START_BINDING,
  START_UNBINDING,
  stepUp,
  uniqueEmail,
  uniquePhone,
} from "./helpers/contacts";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const CONTACTS = `{ me { email { kind masked verifiedAt } phone { kind masked verifiedAt } } }`;

async function login(identifier: string, password = DEFAULT_PASSWORD) {
  return app.client.request(LOGIN, { input: { identifier, password } });
}

describe("binding an email", () => {
  it("sends a code to the address, binds it on confirm, and shows it only masked", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("Alice");
    const {
      startContactBinding: { challenge: challenge },
    } = await user.client.ok(START_BINDING, { kind: "EMAIL", address: `  ${email.toUpperCase()} ` });
    expect(challenge).toMatchObject({ method: "EMAIL", maskedTarget: "a***@example.com" });
    expect(new Date(challenge.expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(new Date(challenge.resendAvailableAt).getTime()).toBeGreaterThan(Date.now());

    const mail = await app.smtp.waitForMail(email);
    expect(mail.subject).toContain("Verification code");
    expect(mail.text).toMatch(/验证码是 \d{6}/);
    expect(mail.text).toContain("Your verification code is");
    const code = /验证码是 (\d{6})/.exec(mail.text)![1];

    const { confirmContactBinding } = await user.client.ok(CONFIRM_BINDING, { id: challenge.id, code });
    expect(confirmContactBinding.account.email).toMatchObject({ kind: "EMAIL", masked: "a***@example.com" });
    expect((await user.client.ok(CONTACTS)).me.email.masked).toBe("a***@example.com");
    expect(JSON.stringify(await user.client.ok(CONTACTS))).not.toContain(email.slice(1, 10));
    expect(await auditTypes(user.client)).toEqual(expect.arrayContaining(["CODE_SENT", "CONTACT_BOUND"]));
  });

  it("lets the bound email sign in, in any letter case", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("Bob");
    await bindContact(app, user.client, "EMAIL", email);
    expect((await login(email.toUpperCase())).data?.login.result.account.id).toBe(user.id);
    expect((await login(` ${email} `)).data?.login.result.account.id).toBe(user.id);
    expect((await login(email, "wrong-password")).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
  });

  it("tells the new address a contact was bound", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    const notice = await app.smtp.waitForMail(email, 1);
    expect(notice.subject).toContain("Security notice");
  });

  it("refuses an address bound to another account, at start", async () => {
    const owner = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, owner.client, "EMAIL", email);
    const other = await registerSteppedUp(app.client);
    const error = await other.client.fails(START_BINDING, { kind: "EMAIL", address: email.toUpperCase() });
    expect(error.extensions?.code).toBe("IDENTITY_TAKEN");
  });

  it("refuses at confirm an address another account bound after the code was sent", async () => {
    const email = uniqueEmail();
    const slow = await registerSteppedUp(app.client);
    const fast = await registerSteppedUp(app.client);
    const {
      startContactBinding: { challenge: slowChallenge },
    } = await slow.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    const slowCode = await app.smtp.codeFor(email, 0);
    await bindContact(app, fast.client, "EMAIL", email);
    const error = await slow.client.fails(CONFIRM_BINDING, { id: slowChallenge.id, code: slowCode });
    expect(error.extensions?.code).toBe("IDENTITY_TAKEN");
    expect((await slow.client.ok(CONTACTS)).me.email).toBeNull();
  });

  it("binds one address to exactly one of two accounts confirming at the same time", async () => {
    const email = uniqueEmail();
    const [a, b] = await Promise.all([registerSteppedUp(app.client), registerSteppedUp(app.client)]);
    const {
      startContactBinding: { challenge: first },
    } = await a.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    const firstCode = await app.smtp.codeFor(email, 0);
    const {
      startContactBinding: { challenge: second },
    } = await b.client.ok(START_BINDING, { kind: "EMAIL", address: email });
    const secondCode = await app.smtp.codeFor(email, 1);
    const results = await Promise.all([
      a.client.request(CONFIRM_BINDING, { id: first.id, code: firstCode }),
      b.client.request(CONFIRM_BINDING, { id: second.id, code: secondCode }),
    ]);
    const outcomes = results.map((r) => r.errors?.[0].extensions?.code ?? "OK").sort();
    expect(outcomes).toEqual(["IDENTITY_TAKEN", "OK"]);
    const bound = await Promise.all([a.client.ok(CONTACTS), b.client.ok(CONTACTS)]);
    expect(bound.filter((r) => r.me.email !== null)).toHaveLength(1);
  });

  it("refuses to bind the address already bound to the same account", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    const error = await user.client.fails(START_BINDING, { kind: "EMAIL", address: email });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("binding a phone", () => {
  it("sends the code by SMS through the vendor and signs in with any common spelling", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone(); // +86139XXXXXXXX
    const national = phone.slice(3);
    const spaced = `+86 ${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    const bound = await bindContact(app, user.client, "PHONE", spaced, phone);
    expect(bound.phone).toMatchObject({ kind: "PHONE", masked: `+86 139****${national.slice(-4)}` });
    const sms = app.smsTo(phone)[0];
    expect(sms).toMatchObject({ phoneNumbers: national, signName: "账号中心", templateCode: "SMS_100000001" });
    for (const spelling of [national, spaced, phone]) {
      expect((await login(spelling)).data?.login.result.account.id).toBe(user.id);
    }
  });

  it.each([
    ["a landline", "010 6552 9988"],
    ["too few digits", "1381234567"],
    ["letters", "138abcd5678"],
    ["an email", "someone@example.com"],
  ])("refuses %s as a phone", async (_case, address) => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(START_BINDING, { kind: "PHONE", address });
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "address", code: "INVALID_PHONE", params: {}, messages: [expect.stringContaining("mobile")] }],
    });
  });
});

describe("replacing a bound address", () => {
  it("needs a step-up first, then verifies the new address, and tells the old one", async () => {
    const user = await registerSteppedUp(app.client);
    const oldEmail = uniqueEmail("old");
    const newEmail = uniqueEmail("new");
    await bindContact(app, user.client, "EMAIL", oldEmail);
    await letStepUpLapse(app, user);

    expect((await user.client.fails(START_BINDING, { kind: "EMAIL", address: newEmail })).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUp(app, user.client, "EMAIL", oldEmail);
    const mailsToOld = app.smtp.mailsTo(oldEmail).length;
    await bindContact(app, user.client, "EMAIL", newEmail);

    expect((await login(newEmail)).data?.login.result.account.id).toBe(user.id);
    expect((await login(oldEmail)).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    const notice = await app.smtp.waitForMail(oldEmail, mailsToOld);
    expect(notice.subject).toContain("Security notice");
    expect(await auditTypes(user.client)).toContain("CONTACT_REPLACED");
  });

  it("does not replace when the step-up expired before the confirm", async () => {
    const user = await registerSteppedUp(app.client);
    const oldEmail = uniqueEmail("old");
    const newEmail = uniqueEmail("new");
    await bindContact(app, user.client, "EMAIL", oldEmail);
    await stepUp(app, user.client, "EMAIL", oldEmail);
    app.clock.advanceSeconds(9 * 60 + 30); // the step-up (valid 10 min) still allows starting
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "EMAIL", address: newEmail });
    const code = await app.smtp.codeFor(newEmail);
    app.clock.advanceSeconds(60); // the code is 1 min old and valid; the step-up is 10.5 min old
    const error = await user.client.fails(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code });
    expect(error.extensions?.code).toBe("STEP_UP_REQUIRED");
    expect((await user.client.ok(CONTACTS)).me.email.masked).toBe("o***@example.com");
  });
});

describe("unbinding", () => {
  it("needs a step-up, sends a code to the bound address, and removes it", async () => {
    const user = await registerSteppedUp(app.client);
    const phone = uniquePhone();
    await bindContact(app, user.client, "PHONE", phone);
    await letStepUpLapse(app, user);

    expect((await user.client.fails(START_UNBINDING, { kind: "PHONE" })).extensions?.code).toBe("STEP_UP_REQUIRED");
    await stepUp(app, user.client, "SMS", phone);
    const seen = sentCount(app, "PHONE", phone);
    const { startContactUnbinding } = await user.client.ok(START_UNBINDING, { kind: "PHONE" });
    expect(startContactUnbinding.challenge).toMatchObject({ method: "SMS", maskedTarget: expect.stringMatching(/^\+86 139\*{4}\d{4}$/) });
    const code = await codeSentTo(app, "PHONE", phone, seen);
    const { confirmContactUnbinding } = await user.client.ok(CONFIRM_UNBINDING, { id: startContactUnbinding.challenge.id, code });
    expect(confirmContactUnbinding.account.phone).toBeNull();
    expect((await login(phone)).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(await auditTypes(user.client)).toContain("CONTACT_UNBOUND");
    // The removed number is told, through the vendor's notice template.
    const notice = await new Promise<unknown>((resolve) => {
      const poll = () => {
        const found = app.smsTo(phone).find((m) => m.templateCode === "SMS_100000002");
        if (found) resolve(found);
        else setTimeout(poll, 20);
      };
      poll();
    });
    expect(notice).toMatchObject({ templateParam: { event: expect.any(String) } });
  });

  it("refuses to unbind what is not bound", async () => {
    const user = await registerSteppedUp(app.client);
    const error = await user.client.fails(START_UNBINDING, { kind: "EMAIL" });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "kind" }] });
  });
});

describe("malformed input", () => {
  it.each([
    ["an empty address", START_BINDING, { kind: "EMAIL", address: "" }, "address"],
    ["an address without a domain", START_BINDING, { kind: "EMAIL", address: "alice@" }, "address"],
    ["a 321-character address", START_BINDING, { kind: "EMAIL", address: `${"a".repeat(309)}@example.com` }, "address"],
    ["an unknown kind", START_BINDING, { kind: "FAX", address: "x@example.com" }, "kind"],
    ["a challenge id that is not one", CONFIRM_BINDING, { id: "abc", code: "123456" }, "challengeId"],
    ["a 5-digit code", CONFIRM_BINDING, { id: "00000000-0000-4000-8000-000000000000", code: "12345" }, "code"],
    ["a code with letters", CONFIRM_BINDING, { id: "00000000-0000-4000-8000-000000000000", code: "12345a" }, "code"],
    ["a code in full-width digits", CONFIRM_BINDING, { id: "00000000-0000-4000-8000-000000000000", code: "１２３４５６" }, "code"],
  ])("%s", async (_case, document, variables, field) => {
    const user = await registerSteppedUp(app.client);
    const before = await user.client.ok(ME);
    const error = await user.client.fails(document, variables);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.[0].field).toBe(field);
    expect(await user.client.ok(ME)).toEqual(before);
  });

  it("needs a session", async () => {
    const error = await app.client.fails(START_BINDING, { kind: "EMAIL", address: uniqueEmail() });
    expect(error.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
