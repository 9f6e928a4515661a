import { randomInt, randomUUID } from "node:crypto";
import { grantRole } from "../src/modules/admin/admin.service";
import { AuditEventEntity } from "../src/entities";
import {
  auditTypes,
  DEFAULT_PASSWORD,
  letStepUpLapse,
  LOGIN,
  registerSteppedUp,
  stepUpWithPassword,
  uniqueUsername,
  type RegisteredUser,
} from "./helpers/accounts";
import { bindContact } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

const REPLACE = /* GraphQL */ `
  mutation Replace($accountId: ID!, $kind: ContactKind!, $address: String!, $reason: String!) {
    adminReplaceContact(input: { accountId: $accountId, kind: $kind, address: $address, reason: $reason }) {
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
      }
    }
  }
`;
const CONTACTS = /* GraphQL */ `
  query {
    me {
      id
      email {
        kind
        masked
      }
      phone {
        kind
        masked
      }
    }
  }
`;

const CODE_IN_MAIL = /验证码是 (\d{6})/;
const REASON = "ticket #4711: identity checked by video call";

let app: TestApp;
let support: RegisteredUser;

beforeAll(async () => {
  app = await startTestApp();
  support = await registerSteppedUp(app.client, uniqueUsername("support"));
  expect(await grantRole(app.dataSource, support.username, "SUPPORT")).toBe(true);
});
afterAll(() => app.stop());

function uniqueEmail(prefix = "ad"): string {
  return `${uniqueUsername(prefix)}@example.com`;
}

function uniquePhone(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
  const mail = await eventually(() =>
    app.smtp
      .mailsTo(email)
      .slice(seen)
      .find((m) => CODE_IN_MAIL.test(m.text)),
  );
  await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code: CODE_IN_MAIL.exec(mail.text)![1] });
  await noticeMail(email, seen, "was bound to your account");
}

async function userWithEmail(): Promise<RegisteredUser & { email: string }> {
  const user = await registerSteppedUp(app.client);
  const email = uniqueEmail();
  await bindEmail(user.client, email);
  return { ...user, email };
}

async function loginCode(identifier: string, password = DEFAULT_PASSWORD): Promise<string> {
  const result = await app.client.request(LOGIN, { input: { identifier, password } });
  return result.errors?.[0].extensions?.code ?? result.data!.login.result.__typename;
}

function masked(email: string): string {
  return `${email[0]}***${email.slice(email.indexOf("@"))}`;
}

function supportEvents(accountId: string): Promise<number> {
  return app.dataSource.getRepository(AuditEventEntity).countBy({ accountId, type: "CONTACT_REPLACED_BY_SUPPORT" });
}

describe("adminReplaceContact access", () => {
  it("is FORBIDDEN to an ordinary user and changes nothing", async () => {
    const target = await userWithEmail();
    const ordinary = await registerSteppedUp(app.client);
    const error = await ordinary.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON });
    expect(error.extensions).toEqual({ code: "FORBIDDEN" });
    expect((await target.client.ok(CONTACTS)).me.email).toEqual({ kind: "EMAIL", masked: masked(target.email) });
    expect(await loginCode(target.email)).toBe("AuthPayload");
    expect(await supportEvents(target.id)).toBe(0);
  });

  it("is FORBIDDEN to the user on their own account", async () => {
    const target = await userWithEmail();
    const error = await target.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON });
    expect(error.extensions).toEqual({ code: "FORBIDDEN" });
    expect(await loginCode(target.email)).toBe("AuthPayload");
  });

  it("is UNAUTHENTICATED without a session", async () => {
    const target = await userWithEmail();
    const error = await app.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON });
    expect(error.extensions).toEqual({ code: "UNAUTHENTICATED" });
    expect(await supportEvents(target.id)).toBe(0);
  });

  it("follows the role from one request to the next", async () => {
    const helper = await registerSteppedUp(app.client, uniqueUsername("helper"));
    const target = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    expect(
      (await helper.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: email, reason: REASON })).extensions?.code,
    ).toBe("FORBIDDEN");
    await grantRole(app.dataSource, helper.username, "SUPPORT");
    const data = await helper.client.ok(REPLACE, { accountId: target.id, kind: "EMAIL", address: email, reason: REASON });
    expect(data.adminReplaceContact.account.email).toEqual({ masked: masked(email) });
  });
});

describe("a support user replaces a contact", () => {
  it("replaces the email: the user signs in with the new one only, the log says so, both addresses are told", async () => {
    const target = await userWithEmail();
    const newEmail = uniqueEmail("new");
    const oldSeen = app.smtp.mailsTo(target.email).length;

    const data = await support.client.ok(REPLACE, {
      accountId: target.id,
      kind: "EMAIL",
      address: `  ${newEmail.toUpperCase()} `,
      reason: REASON,
    });
    expect(data.adminReplaceContact.account).toEqual({ id: target.id, email: { masked: masked(newEmail) }, phone: null });

    expect((await target.client.ok(CONTACTS)).me).toEqual({
      id: target.id,
      email: { kind: "EMAIL", masked: masked(newEmail) },
      phone: null,
    });
    expect(await loginCode(newEmail)).toBe("AuthPayload");
    expect(await loginCode(target.email)).toBe("INVALID_CREDENTIALS");

    const types = await auditTypes(target.client);
    // newest first: the sign-in above (the old email belongs to nobody now, so its failure is on no account's log)
    expect(types.slice(0, 3)).toEqual(["SIGN_IN", "CONTACT_REPLACED_BY_SUPPORT", "CONTACT_BOUND"]);
    expect(types.filter((t) => t === "CONTACT_REPLACED_BY_SUPPORT")).toHaveLength(1);
    expect(await auditTypes(support.client)).not.toContain("CONTACT_REPLACED_BY_SUPPORT");
    const event = await app.dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ accountId: target.id, type: "CONTACT_REPLACED_BY_SUPPORT" });
    expect(JSON.parse(event.detail!)).toEqual({ kind: "EMAIL", reason: REASON, supportAccountId: support.id });

    const toOld = await noticeMail(target.email, oldSeen, "was replaced");
    const toNew = await noticeMail(newEmail, 0, "was replaced");
    expect(toOld.subject).toContain("Security notice");
    expect(toNew.subject).toContain("Security notice");
    await pause(200);
    expect(app.smtp.mailsTo(newEmail)).toHaveLength(1); // the notice only: no code is mailed
  });

  it("sets a phone given in national spelling; the user signs in with it", async () => {
    const target = await userWithEmail();
    const phone = uniquePhone();
    const national = phone.slice(3);
    const spelled = `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    const data = await support.client.ok(REPLACE, { accountId: target.id, kind: "PHONE", address: spelled, reason: REASON });
    expect(data.adminReplaceContact.account.phone).toEqual({ masked: `+86 139****${phone.slice(-4)}` });
    expect(data.adminReplaceContact.account.email).toEqual({ masked: masked(target.email) });
    expect(await loginCode(phone)).toBe("AuthPayload");
    expect(await loginCode(target.email)).toBe("AuthPayload");
    await noticeMail(target.email, 0, "was replaced");
  });

  it("refuses an address bound to a third account with IDENTITY_TAKEN, changing nothing", async () => {
    const target = await userWithEmail();
    const third = await userWithEmail();
    const error = await support.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: third.email, reason: REASON });
    expect(error.extensions).toEqual({ code: "IDENTITY_TAKEN" });

    expect((await target.client.ok(CONTACTS)).me.email).toEqual({ kind: "EMAIL", masked: masked(target.email) });
    expect((await third.client.ok(CONTACTS)).me.email).toEqual({ kind: "EMAIL", masked: masked(third.email) });
    const signedIn = await app.client.ok(LOGIN, { input: { identifier: third.email, password: DEFAULT_PASSWORD } });
    expect(signedIn.login.result.account.id).toBe(third.id);
    expect(await loginCode(target.email)).toBe("AuthPayload");
    expect(await supportEvents(target.id)).toBe(0);
    expect(await supportEvents(third.id)).toBe(0);
  });

  it("answers NOT_FOUND for an unknown account", async () => {
    const email = uniqueEmail();
    const error = await support.client.fails(REPLACE, { accountId: randomUUID(), kind: "EMAIL", address: email, reason: REASON });
    expect(error.extensions).toEqual({ code: "NOT_FOUND" });
    expect(await loginCode(email)).toBe("INVALID_CREDENTIALS");
  });
});

describe("adminReplaceContact guards (issue 16)", () => {
  it("needs the support user's own recent step-up", async () => {
    const agent = await registerSteppedUp(app.client, uniqueUsername("agent"));
    await grantRole(app.dataSource, agent.username, "SUPPORT");
    await letStepUpLapse(app, agent);
    const target = await userWithEmail();
    const email = uniqueEmail();
    expect((await agent.client.fails(REPLACE, { accountId: target.id, kind: "EMAIL", address: email, reason: REASON })).extensions).toEqual(
      { code: "STEP_UP_REQUIRED" },
    );
    expect(await supportEvents(target.id)).toBe(0);
    await stepUpWithPassword(agent.client);
    expect(
      (await agent.client.ok(REPLACE, { accountId: target.id, kind: "EMAIL", address: email, reason: REASON })).adminReplaceContact.account
        .email,
    ).toEqual({ masked: masked(email) });
  });

  it("refuses the support user's own account and other staff accounts", async () => {
    const own = await support.client.fails(REPLACE, { accountId: support.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON });
    expect(own.extensions).toEqual({ code: "FORBIDDEN" });
    const colleague = await userWithEmail();
    await grantRole(app.dataSource, colleague.username, "SUPPORT");
    const other = await support.client.fails(REPLACE, { accountId: colleague.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON });
    expect(other.extensions).toEqual({ code: "FORBIDDEN" });
    expect(await loginCode(colleague.email)).toBe("AuthPayload");
    expect(await supportEvents(colleague.id)).toBe(0);
  });

  it("answers only what support needs: no sessions, keys or security log", async () => {
    const target = await userWithEmail();
    const result = await support.client.request(
      `mutation($a: ID!, $address: String!, $r: String!) { adminReplaceContact(input: { accountId: $a, kind: EMAIL, address: $address, reason: $r }) { account { id sessions { nodes { id } } apiKeys { nodes { id } } } } }`,
      { a: target.id, address: uniqueEmail(), r: REASON },
    );
    expect(result.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await supportEvents(target.id)).toBe(0);
    const data = await support.client.ok(
      `mutation($a: ID!, $address: String!, $r: String!) { adminReplaceContact(input: { accountId: $a, kind: EMAIL, address: $address, reason: $r }) { account { id username email { masked usableFrom } phone { masked } } } }`,
      { a: target.id, address: uniqueEmail("only"), r: REASON },
    );
    expect(data.adminReplaceContact.account).toEqual({
      id: target.id,
      username: target.username,
      email: { masked: expect.stringMatching(/^o\*\*\*@example\.com$/), usableFrom: null },
      phone: null,
    });
  });

  it("tells every address bound before (the phone too) and the new one", async () => {
    const target = await userWithEmail();
    const phone = uniquePhone();
    await bindContact(app, target.client, "PHONE", phone);
    await eventually(() => app.smsTo(phone).find((m) => m.templateParam.event !== undefined)); // the "bound" notice
    const smsSeen = app.smsTo(phone).length;
    const mailSeen = app.smtp.mailsTo(target.email).length;
    const newEmail = uniqueEmail("new");
    await support.client.ok(REPLACE, { accountId: target.id, kind: "EMAIL", address: newEmail, reason: REASON });
    await noticeMail(target.email, mailSeen, "was replaced");
    await noticeMail(newEmail, 0, "was replaced");
    await eventually(() =>
      app
        .smsTo(phone)
        .slice(smsSeen)
        .find((m) => m.templateParam.event !== undefined),
    );
  });
});

describe("malformed input", () => {
  it.each([
    ["an accountId that is not a UUID", { accountId: "not-a-uuid" }, "accountId"],
    ["a reason of 2 characters", { reason: "ok" }, "reason"],
    ["an empty reason", { reason: "" }, "reason"],
    ["a reason over 500 characters", { reason: "x".repeat(501) }, "reason"],
    ["a phone for an EMAIL", { kind: "EMAIL", address: "13812345678" }, "address"],
    ["an email for a PHONE", { kind: "PHONE", address: "someone@example.com" }, "address"],
    ["a landline for a PHONE", { kind: "PHONE", address: "010 6552 9988" }, "address"],
    ["an invalid email", { kind: "EMAIL", address: "someone@" }, "address"],
  ])("refuses %s with BAD_USER_INPUT on that field", async (_case, override, field) => {
    const target = await userWithEmail();
    const args = { accountId: target.id, kind: "EMAIL", address: uniqueEmail(), reason: REASON, ...override };
    const error = await support.client.fails(REPLACE, args);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual([field]);
    expect((await target.client.ok(CONTACTS)).me.email).toEqual({ kind: "EMAIL", masked: masked(target.email) });
    expect(await supportEvents(target.id)).toBe(0);
  });

  it("refuses an unknown kind at the GraphQL layer", async () => {
    const target = await userWithEmail();
    const error = await support.client.fails(REPLACE, { accountId: target.id, kind: "WECHAT", address: uniqueEmail(), reason: REASON });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.fieldErrors?.map((f) => f.field)).toEqual(["kind"]);
  });
});
