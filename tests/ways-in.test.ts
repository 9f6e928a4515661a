import fs from "node:fs";
import path from "node:path";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { DEFAULT_PASSWORD, letStepUpLapse, registerSteppedUp, type RegisteredUser } from "./helpers/accounts";
import {
  bindContact,
  CONFIRM_BINDING,
  CONFIRM_UNBINDING,
  START_BINDING,
  START_UNBINDING,
  stepUp,
  uniqueEmail,
  uniquePhone,
} from "./helpers/contacts";
import type { GraphQLResponse as GraphQLResult } from "./helpers/graphql-client";
import { codeNow, CONFIRM_TOTP, START_TOTP } from "./helpers/second-factors";
import {
  bindProvider,
  callbackUrl,
  COMPLETE_BINDING as COMPLETE_PROVIDER,
  consent,
  START_BINDING as START_PROVIDER,
  UNBIND,
} from "./helpers/social";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { NOTICE_TEXT } from "../src/modules/notice/notice-messages";
import { NOTICE_LABELS } from "../src/providers/sms/notice-labels";
import type { SecurityNoticeEvent } from "../src/providers/types";

/**
 * Issue 16: a stolen session must not add or remove a way in. Every mutation that adds or removes a
 * way to sign in, recover or pass a second factor is a row of WAYS_IN; each step of each row must
 * answer STEP_UP_REQUIRED to a session without a recent step-up (on an account with an authenticator
 * and two-step on), and once done, must tell every address bound before, and the one it adds.
 */

const SET_TWO_STEP = `mutation($on: Boolean!) { setTwoStepVerification(input: { enabled: $on }) { account { id } } }`;
const DISABLE_TOTP = `mutation($code: String!) { disableTotp(input: { code: $code }) { account { id } } }`;
const REGENERATE = `mutation { regenerateRecoveryCodes { recoveryCodes } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { revokedApiKeyId } }`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

interface Victim extends RegisteredUser {
  email: string | null;
  phone: string | null;
  totpSecret: string;
}

type Address = { kind: "EMAIL" | "PHONE"; address: string };
/** Carries what one step returns to the next (a challenge id, a state, a key id). */
type Carry = Record<string, string>;

interface Step {
  readonly mutation: string;
  /** Runs it; `carry` holds what earlier steps kept. */
  run(victim: Victim, carry: Carry): Promise<GraphQLResult>;
  /** What to keep of a successful answer. */
  keep?(data: Record<string, any>, carry: Carry): Promise<void> | void;
}

interface WayIn {
  readonly name: string;
  /** The notice the change sends. */
  readonly event: SecurityNoticeEvent;
  /** Which addresses the account has (besides its authenticator and two-step); default both. */
  readonly bound?: { email: boolean; phone: boolean };
  /** Done under a step-up before the row, e.g. creating the key a row revokes. */
  prepare?(victim: Victim, carry: Carry): Promise<void> | void;
  readonly steps: readonly Step[];
  /** The address the change adds, told as well. */
  added?(carry: Carry): Address;
}

/** `startX` sends a code to `address`; the step keeps the challenge id and the code. */
function codeStep(
  mutation: string,
  query: string,
  variables: (v: Victim, c: Carry) => Record<string, unknown>,
  target: (v: Victim, c: Carry) => Address,
): Step {
  return {
    mutation,
    run: (v, c) => {
      c.seen = String(sentTo(target(v, c)));
      return v.client.request(query, variables(v, c));
    },
    keep: (data, c) => {
      c.challengeId = data[mutation].challenge.id;
    },
  };
}

function confirmStep(mutation: string, query: string, target: (v: Victim, c: Carry) => Address): Step {
  return {
    mutation,
    run: async (v, c) => {
      const { kind, address } = target(v, c);
      c.code ??= kind === "EMAIL" ? await app.smtp.codeFor(address, Number(c.seen)) : await app.smsCodeFor(address, Number(c.seen));
      return v.client.request(query, { id: c.challengeId, code: c.code });
    },
  };
}

const newEmail = (c: Carry): Address => ({ kind: "EMAIL", address: (c.newEmail ??= uniqueEmail("wayin")) });
const newPhone = (c: Carry): Address => ({ kind: "PHONE", address: (c.newPhone ??= uniquePhone()) });
const boundPhone = (v: Victim): Address => ({ kind: "PHONE", address: v.phone! });

const WAYS_IN: readonly WayIn[] = [
  {
    name: "binding a first email",
    event: "CONTACT_BOUND",
    bound: { email: false, phone: true },
    steps: [
      codeStep(
        "startContactBinding",
        START_BINDING,
        (_v, c) => ({ kind: "EMAIL", address: newEmail(c).address }),
        (_v, c) => newEmail(c),
      ),
      confirmStep("confirmContactBinding", CONFIRM_BINDING, (_v, c) => newEmail(c)),
    ],
    added: newEmail,
  },
  {
    name: "binding a first phone",
    event: "CONTACT_BOUND",
    bound: { email: true, phone: false },
    steps: [
      codeStep(
        "startContactBinding",
        START_BINDING,
        (_v, c) => ({ kind: "PHONE", address: newPhone(c).address }),
        (_v, c) => newPhone(c),
      ),
      confirmStep("confirmContactBinding", CONFIRM_BINDING, (_v, c) => newPhone(c)),
    ],
    added: newPhone,
  },
  {
    name: "replacing the email",
    event: "CONTACT_REPLACED",
    steps: [
      codeStep(
        "startContactBinding",
        START_BINDING,
        (_v, c) => ({ kind: "EMAIL", address: newEmail(c).address }),
        (_v, c) => newEmail(c),
      ),
      confirmStep("confirmContactBinding", CONFIRM_BINDING, (_v, c) => newEmail(c)),
    ],
    added: newEmail,
  },
  {
    name: "unbinding the phone",
    event: "CONTACT_UNBOUND",
    steps: [
      codeStep("startContactUnbinding", START_UNBINDING, () => ({ kind: "PHONE" }), boundPhone),
      confirmStep("confirmContactUnbinding", CONFIRM_UNBINDING, boundPhone),
    ],
  },
  {
    name: "binding a WeChat account",
    event: "PROVIDER_BOUND",
    steps: [
      {
        mutation: "startProviderBinding",
        run: (v) => v.client.request(START_PROVIDER, { p: "WECHAT", r: callbackUrl(app) }),
        keep: async (data, c) => {
          Object.assign(c, await consent(data.startProviderBinding.authorization.authorizeUrl, `wayin${Date.now()}`));
        },
      },
      { mutation: "completeProviderBinding", run: (v, c) => v.client.request(COMPLETE_PROVIDER, { p: "WECHAT", c: c.code, s: c.state }) },
    ],
  },
  {
    name: "unbinding an Alipay account",
    event: "PROVIDER_UNBOUND",
    prepare: async (v) => {
      await bindProvider(app, v.client, "ALIPAY", `wayin${Date.now()}`);
    },
    steps: [{ mutation: "unbindProvider", run: (v) => v.client.request(UNBIND, { p: "ALIPAY" }) }],
  },
  {
    name: "enrolling a new authenticator",
    event: "TOTP_ENABLED",
    steps: [
      {
        mutation: "startTotpEnrollment",
        run: (v) => v.client.request(START_TOTP),
        keep: (data, c) => {
          c.secret = data.startTotpEnrollment.enrollment.secret;
        },
      },
      { mutation: "confirmTotpEnrollment", run: (v, c) => v.client.request(CONFIRM_TOTP, { code: codeNow(app, c.secret) }) },
    ],
  },
  {
    name: "removing the authenticator",
    event: "TOTP_DISABLED",
    prepare: () => {
      app.clock.advanceSeconds(30); // a code of a step not used at enrolment
    },
    steps: [{ mutation: "disableTotp", run: (v) => v.client.request(DISABLE_TOTP, { code: codeNow(app, v.totpSecret) }) }],
  },
  {
    name: "regenerating recovery codes",
    event: "RECOVERY_CODES_REGENERATED",
    steps: [{ mutation: "regenerateRecoveryCodes", run: (v) => v.client.request(REGENERATE) }],
  },
  {
    name: "turning two-step off",
    event: "TWO_STEP_DISABLED",
    steps: [{ mutation: "setTwoStepVerification", run: (v) => v.client.request(SET_TWO_STEP, { on: false }) }],
  },
  {
    name: "turning two-step on",
    event: "TWO_STEP_ENABLED",
    prepare: async (v) => {
      await v.client.ok(SET_TWO_STEP, { on: false });
    },
    steps: [{ mutation: "setTwoStepVerification", run: (v) => v.client.request(SET_TWO_STEP, { on: true }) }],
  },
  {
    name: "creating an API key",
    event: "API_KEY_CREATED",
    steps: [{ mutation: "createApiKey", run: (v) => v.client.request(CREATE_KEY, { input: { name: "thief" } }) }],
  },
  {
    name: "revoking an API key",
    event: "API_KEY_REVOKED",
    prepare: async (v, c) => {
      c.keyId = (await v.client.ok(CREATE_KEY, { input: { name: "ci" } })).createApiKey.apiKey.id;
    },
    steps: [{ mutation: "revokeApiKey", run: (v, c) => v.client.request(REVOKE_KEY, { id: c.keyId }) }],
  },
  {
    name: "changing the password",
    event: "PASSWORD_CHANGED",
    steps: [
      {
        mutation: "changePassword",
        run: (v) => v.client.request(CHANGE_PASSWORD, { input: { oldPassword: DEFAULT_PASSWORD, newPassword: "An0ther-long-passphrase" } }),
      },
    ],
  },
];

/**
 * Mutations that neither add nor remove a way in, each with why. A new mutation must go into
 * WAYS_IN or here, so a new way in cannot slip past the step-up unnoticed.
 */
const NOT_WAYS_IN: Record<string, string> = {
  register: "creates the account itself",
  login: "uses a way in",
  logout: "ends this session",
  completeTwoStep: "uses a way in",
  sendTwoStepCode: "uses a way in",
  loginWithProvider: "uses a way in",
  startProviderLogin: "uses a way in",
  requestStepUp: "proves a factor",
  completeStepUp: "proves a factor",
  requestPasswordReset: "recovery by a bound address, without a session",
  resetPassword: "recovery by a bound address, without a session (tests/password-reset.test.ts)",
  revokeSession: "only takes a session away",
  signOutOtherSessions: "only takes sessions away (and tells the bound addresses)",
  updateProfile: "username and avatar; a new username is told to the bound addresses (tests/profile.test.ts)",
  startRealNameVerification: "a legal identity, not a way in (it does need a step-up)",
  refreshRealNameVerification: "reads the provider's verdict",
  adminReplaceContact: "support's own flow, with its own step-up (tests/admin.test.ts)",
};

function sentTo({ kind, address }: Address): number {
  return kind === "EMAIL" ? app.smtp.mailsTo(address).length : app.smsTo(address).length;
}

/** The notice of `event` to the address after its `seen` first messages: a mail, or an SMS of the notice template. */
function noticeTo({ kind, address }: Address, event: SecurityNoticeEvent, seen = 0) {
  return kind === "EMAIL"
    ? eventually(() =>
        app.smtp
          .mailsTo(address)
          .slice(seen)
          .find((m) => m.subject.includes("Security notice") && m.text.includes(NOTICE_TEXT[event].en)),
      )
    : eventually(() =>
        app
          .smsTo(address)
          .slice(seen)
          .find((m) => m.templateParam.event === NOTICE_LABELS[event]),
      );
}

/** An account with an authenticator, two-step on and the addresses asked for, whose session has no step-up left. */
async function victim({ email, phone }: { email: boolean; phone: boolean }): Promise<Victim> {
  const user = await registerSteppedUp(app.client);
  const v: Victim = { ...user, email: email ? uniqueEmail("victim") : null, phone: phone ? uniquePhone() : null, totpSecret: "" };
  if (v.email) await bindContact(app, v.client, "EMAIL", v.email);
  if (v.phone) await bindContact(app, v.client, "PHONE", v.phone);
  const { startTotpEnrollment } = await v.client.ok(START_TOTP);
  v.totpSecret = startTotpEnrollment.enrollment.secret;
  await v.client.ok(CONFIRM_TOTP, { code: codeNow(app, v.totpSecret) });
  await v.client.ok(SET_TWO_STEP, { on: true });
  await letStepUpLapse(app, v);
  // The set-up's notices arrive in the background: let them land before a row counts what it sends.
  for (const address of boundBefore(v)) {
    for (const event of ["CONTACT_BOUND", "TOTP_ENABLED", "TWO_STEP_ENABLED"] as const) await noticeTo(address, event);
  }
  return v;
}

/** Steps up with a code sent to one of the victim's addresses (the clock stays put: see letStepUpLapse). */
function stepUpVictim(v: Victim): Promise<void> {
  return v.email ? stepUp(app, v.client, "EMAIL", v.email) : stepUp(app, v.client, "SMS", v.phone!);
}

function boundBefore(v: Victim): Address[] {
  return [
    ...(v.email ? [{ kind: "EMAIL" as const, address: v.email }] : []),
    ...(v.phone ? [{ kind: "PHONE" as const, address: v.phone }] : []),
  ];
}

it("lists every mutation as a way in or not", () => {
  const schema = buildSchema(fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8"));
  const mutations = Object.keys((schema.getMutationType() as GraphQLObjectType).getFields()).sort();
  const listed = [...new Set([...WAYS_IN.flatMap((row) => row.steps.map((step) => step.mutation)), ...Object.keys(NOT_WAYS_IN)])].sort();
  expect(listed).toEqual(mutations);
});

describe.each(WAYS_IN.map((row) => [row.name, row] as const))("%s", (_name, row) => {
  it("needs a recent step-up at every step, then tells every address bound before and the new one", async () => {
    const v = await victim(row.bound ?? { email: true, phone: true });
    const carry: Carry = {};
    if (row.prepare) {
      await stepUpVictim(v);
      await row.prepare(v, carry);
      await letStepUpLapse(app, v);
    }
    const told = [...boundBefore(v), ...(row.added ? [row.added(carry)] : [])];
    const seen = told.map(sentTo);
    for (const step of row.steps) {
      const refused = await step.run(v, carry);
      expect({ step: step.mutation, code: refused.errors?.[0]?.extensions?.code }).toEqual({
        step: step.mutation,
        code: "STEP_UP_REQUIRED",
      });
      await stepUpVictim(v);
      const done = await step.run(v, carry);
      expect({ step: step.mutation, errors: done.errors }).toEqual({ step: step.mutation, errors: undefined });
      await step.keep?.(done.data, carry);
      await letStepUpLapse(app, v);
    }
    await Promise.all(told.map((address, i) => noticeTo(address, row.event, seen[i])));
  });
});
