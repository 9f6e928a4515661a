import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { buildSchema } from "graphql";
import { grantRole } from "../../src/modules/admin/admin.service";
import { DEFAULT_PASSWORD, LOGIN, registerSteppedUp, uniqueUsername } from "../helpers/accounts";
import { bindContact, stepUp, uniqueEmail, uniquePhone } from "../helpers/contacts";
import { enrolTotp } from "../helpers/second-factors";
import { callbackUrl, consent } from "../helpers/social";
import { startTestApp, type TestApp } from "../helpers/test-server";
import {
  arg,
  BODY_LIMIT_BYTES,
  fitBody,
  fuzzVars,
  hostileAuthorization,
  hostileValue,
  inputObject,
  TRICKY_STRINGS,
} from "./support/hostile";
import {
  contractViolations,
  errorCodes,
  INTERNAL_TEXT,
  postGraphQL,
  snapshot,
  unexpectedChanges,
  type DbSnapshot,
  type FuzzResponse,
} from "./support/invariants";
import { checkBounded, fuzzParameters, fuzzStats, recordOutcome } from "./support/property";

/**
 * Property-based fuzzing of every mutation in schema.graphql (and `me`, `Account.auditEvents`):
 * hostile and malformed variables, sent over HTTP as a signed-in user, without a session and with
 * a hostile Authorization header. For every response:
 *  - HTTP 200 or 400 with a JSON body; never INTERNAL_SERVER_ERROR;
 *  - no stack trace or internal text (file paths, ORM/driver names, SQL error messages);
 *  - every error has an `extensions.code` from the schema's ErrorCode enum; BAD_USER_INPUT has
 *    fieldErrors with FieldErrorCode codes, RATE_LIMITED retryAfterSeconds;
 *  - a failed request changed no row: the count of every table and the rows of the fixture accounts
 *    and their sessions are as before (only the failure records README promises may appear:
 *    SIGN_IN_FAILED, PASSWORD_CHANGE_FAILED, CODE_FAILED audit events).
 * FUZZ_RUNS (default 25) sets the runs per operation and FUZZ_SEED replays a failure; the seed and
 * the shrunk counter-example are printed when a property fails.
 */

/** Budgets raised so the fuzzer is not stopped at the door (RATE_LIMITED stays an allowed answer). */
const FUZZ_ENV: Record<string, string> = {
  RATE_LIMIT_LOGIN_IDENTIFIER: "1000000/900",
  RATE_LIMIT_LOGIN_IP: "1000000/900",
  RATE_LIMIT_PASSWORD_ACCOUNT: "1000000/900",
  RATE_LIMIT_REGISTER_IP: "1000000/3600",
  RATE_LIMIT_CODE_TARGET_HOUR: "1000000/3600",
  RATE_LIMIT_CODE_TARGET_DAY: "1000000/86400",
  RATE_LIMIT_CODE_ACCOUNT: "1000000/3600",
  RATE_LIMIT_CODE_IP: "1000000/3600",
  RATE_LIMIT_SECOND_FACTOR_ACCOUNT: "1000000/900",
  SMS_DAILY_BUDGET: "1000000",
  CODE_MAX_ATTEMPTS: "20",
  CODE_RESEND_COOLDOWN_SECONDS: "0",
  // Unexpected errors log at error level; TEST_LOG_LEVEL=error shows them.
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
};

interface Actor {
  readonly id: string;
  username: string;
  password: string;
  token: string;
}

/** Accounts and open workflows the fuzzer aims at, so plausible values reach past validation. */
interface Fixture {
  readonly app: TestApp;
  /** No second factor: password, profile, contact binding, TOTP enrolment, keys, providers, real name. */
  readonly plain: Actor;
  /** Email, phone and TOTP bound, two-step on, session stepped up: step-up, unbinding, two-step sign-in. */
  readonly secured: Actor;
  /** Holds the SUPPORT role. */
  readonly support: Actor;
  readonly securedEmail: string;
  readonly securedPhone: string;
  readonly contactChallengeId: string;
  readonly stepUpChallengeId: string;
  readonly unbindChallengeId: string;
  readonly twoStepChallengeId: string;
  readonly plainSessionIds: string[];
  readonly apiKeyId: string;
  readonly bindState: string;
  readonly bindCode: string;
  readonly loginState: string;
  readonly loginCode: string;
  readonly auditCursor: string;
}

type ActorName = "plain" | "secured" | "support";

interface Spec {
  readonly query: string;
  readonly actor: ActorName;
  /** Callable without a session. */
  readonly public?: boolean;
  readonly vars: (fx: Fixture) => fc.Arbitrary<Record<string, unknown>>;
  /** Writes after answering (requestPasswordReset): wait for the writes to land before the next snapshot. */
  readonly background?: boolean;
}

// ---- plausible values: valid-looking, so the fuzzer gets into the services --------------------------

const P = {
  username: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_-]{2,20}$/), fc.constantFrom("张三丰", "user_1", "abc", "Alice-2", "x".repeat(32))),
  password: fc.oneof(
    fc.constantFrom(
      DEFAULT_PASSWORD,
      "correct horse battery",
      "密码是一二三四五六七",
      "password",
      "aaaaaaaa",
      "😀😀😀😀😀😀😀😀",
      "x".repeat(128),
    ),
    fc.string({ minLength: 8, maxLength: 40 }),
  ),
  email: fc.oneof(fc.emailAddress({ size: "small" }), fc.constantFrom("fuzz@example.com", "FUZZ@Example.COM ")),
  phone: fc
    .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom("+86139", "139", "+86 139", "0086139"))
    .map(([n, prefix]) => `${prefix}${String(n).padStart(8, "0")}`),
  uuid: fc.uuid(),
  code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^[a-z0-9]{5}-[a-z0-9]{5}$/)),
  instant: fc
    .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2300-01-01T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  legalName: fc.constantFrom("张三", "王小明", "阿卜杜·热合曼", "Anna Smith", "李"),
  idNumber: fc
    .tuple(
      fc.constantFrom("110105", "310104", "440305"),
      fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2020-01-01T00:00:00Z"), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([region, birth, seq]) => {
      const first17 = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, "")}${String(seq).padStart(3, "0")}`;
      const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
      return first17 + "10X98765432"[sum % 11];
    }),
  reason: fc.oneof(fc.constantFrom("ticket #123: identity checked by video call", "x"), fc.string({ maxLength: 200 })),
};

const enumArg = (...values: string[]) => arg(fc.constantFrom(...values));
const kind = enumArg("EMAIL", "PHONE");
const method = enumArg("EMAIL", "SMS", "TOTP", "RECOVERY_CODE");
const provider = enumArg("WECHAT", "QQ", "ALIPAY");
const address = (fx: Fixture) => arg(fc.oneof(P.email, P.phone, fc.constantFrom(fx.securedEmail, fx.securedPhone)));
const redirect = (fx: Fixture) => {
  const origin = new URL(fx.app.url).origin;
  return arg(
    fc.oneof(
      { arbitrary: fc.constantFrom(callbackUrl(fx.app), `${origin}/`, `${origin}/a?b=c#d`, `${origin}/cb?state=x&code=y`), weight: 4 },
      {
        arbitrary: fc.constantFrom(
          "https://evil.example/cb",
          `${origin}@evil.example/`,
          `${origin}.evil.example/`,
          origin.replace("http", "https"),
        ),
        weight: 1,
      },
      { arbitrary: fc.webUrl(), weight: 1 },
    ),
  );
};
const challengeIdOf = (...ids: string[]) => arg(fc.oneof(P.uuid, fc.constantFrom(...ids)));

// ---- every operation ------------------------------------------------------------------------------

const SPECS: Record<string, Spec> = {
  register: {
    query: `mutation($input: RegisterInput!) { register(input: $input) { token account { id } } }`,
    actor: "plain",
    public: true,
    vars: (fx) =>
      fuzzVars({ input: inputObject({ username: arg(fc.oneof(P.username, fc.constant(fx.plain.username))), password: arg(P.password) }) }),
  },
  login: {
    query: `mutation($input: LoginInput!) { login(input: $input) { result { __typename ... on AuthPayload { token } ... on TwoStepChallenge { id } } } }`,
    actor: "plain",
    public: true,
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          identifier: arg(
            fc.oneof(
              P.username,
              P.email,
              P.phone,
              fc.constantFrom(fx.plain.username, fx.secured.username, fx.securedEmail, fx.securedPhone),
            ),
          ),
          password: arg(fc.oneof(P.password, fc.constant(DEFAULT_PASSWORD))),
        }),
      }),
  },
  logout: { query: `mutation { logout { signedOutSessionId } }`, actor: "plain", vars: () => extraVariables },
  signOutOtherSessions: {
    query: `mutation { signOutOtherSessions { revokedSessionIds account { id } } }`,
    actor: "plain",
    vars: () => extraVariables,
  },
  updateProfile: {
    query: `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id username avatarUrl } } }`,
    actor: "plain",
    vars: () =>
      fuzzVars({
        input: inputObject({
          username: arg(fc.oneof(P.username, fc.constant(null))),
          avatarUrl: arg(
            fc.oneof(
              fc.webUrl({ validSchemes: ["https"] }),
              fc.constantFrom(null, "https://cdn.example.com/a.png", "http://cdn.example.com/a.png"),
            ),
          ),
        }),
      }),
  },
  changePassword: {
    query: `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`,
    actor: "plain",
    vars: (fx) =>
      fuzzVars({
        input: inputObject({ oldPassword: arg(fc.oneof(P.password, fc.constant(fx.plain.password))), newPassword: arg(P.password) }),
      }),
  },
  requestPasswordReset: {
    query: `mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { identifier } }`,
    actor: "plain",
    public: true,
    background: true,
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          identifier: arg(fc.oneof(P.email, P.phone, fc.constantFrom(fx.securedEmail, fx.securedPhone, fx.plain.username))),
        }),
      }),
  },
  resetPassword: {
    query: `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessionCount revokedApiKeyCount } }`,
    actor: "plain",
    public: true,
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          identifier: arg(fc.oneof(P.email, P.phone, fc.constantFrom(fx.securedEmail, fx.securedPhone))),
          code: arg(P.code),
          newPassword: arg(P.password),
        }),
      }),
  },
  requestStepUp: {
    query: `mutation($input: RequestStepUpInput!) { requestStepUp(input: $input) { challenge { id method maskedTarget } } }`,
    actor: "secured",
    vars: () => fuzzVars({ input: inputObject({ method }) }),
  },
  completeStepUp: {
    query: `mutation($input: CompleteStepUpInput!) { completeStepUp(input: $input) { account { id } } }`,
    actor: "secured",
    vars: (fx) =>
      fuzzVars({ input: inputObject({ challengeId: challengeIdOf(fx.stepUpChallengeId, fx.unbindChallengeId), code: arg(P.code) }) }),
  },
  startContactBinding: {
    query: `mutation($input: StartContactBindingInput!) { startContactBinding(input: $input) { challenge { id maskedTarget } } }`,
    actor: "plain",
    vars: (fx) => fuzzVars({ input: inputObject({ kind: kind, address: address(fx) }) }),
  },
  confirmContactBinding: {
    query: `mutation($input: ConfirmContactBindingInput!) { confirmContactBinding(input: $input) { contact { id } account { id } } }`,
    actor: "plain",
    vars: (fx) =>
      fuzzVars({ input: inputObject({ challengeId: challengeIdOf(fx.contactChallengeId, fx.stepUpChallengeId), code: arg(P.code) }) }),
  },
  startContactUnbinding: {
    query: `mutation($input: StartContactUnbindingInput!) { startContactUnbinding(input: $input) { challenge { id maskedTarget } } }`,
    actor: "secured",
    vars: () => fuzzVars({ input: inputObject({ kind: kind }) }),
  },
  confirmContactUnbinding: {
    query: `mutation($input: ConfirmContactUnbindingInput!) { confirmContactUnbinding(input: $input) { unboundContactId account { id } } }`,
    actor: "secured",
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          challengeId: challengeIdOf(fx.unbindChallengeId, fx.stepUpChallengeId, fx.contactChallengeId),
          code: arg(P.code),
        }),
      }),
  },
  startTotpEnrollment: {
    query: `mutation { startTotpEnrollment { enrollment { secret otpauthUri } } }`,
    actor: "plain",
    vars: () => extraVariables,
  },
  confirmTotpEnrollment: {
    query: `mutation($input: ConfirmTotpEnrollmentInput!) { confirmTotpEnrollment(input: $input) { recoveryCodes } }`,
    actor: "plain",
    vars: () => fuzzVars({ input: inputObject({ code: arg(P.code) }) }),
  },
  disableTotp: {
    query: `mutation($input: DisableTotpInput!) { disableTotp(input: $input) { account { id } } }`,
    actor: "secured",
    vars: () => fuzzVars({ input: inputObject({ code: arg(P.code) }) }),
  },
  regenerateRecoveryCodes: {
    query: `mutation { regenerateRecoveryCodes { recoveryCodes } }`,
    actor: "secured",
    vars: () => extraVariables,
  },
  setTwoStepVerification: {
    query: `mutation($input: SetTwoStepVerificationInput!) { setTwoStepVerification(input: $input) { account { id } } }`,
    actor: "plain",
    vars: () => fuzzVars({ input: inputObject({ enabled: arg(fc.boolean(), false) }) }),
  },
  sendTwoStepCode: {
    query: `mutation($input: SendTwoStepCodeInput!) { sendTwoStepCode(input: $input) { challenge { id maskedTarget } } }`,
    actor: "plain",
    public: true,
    vars: (fx) => fuzzVars({ input: inputObject({ challengeId: challengeIdOf(fx.twoStepChallengeId, fx.stepUpChallengeId), method }) }),
  },
  completeTwoStep: {
    query: `mutation($input: CompleteTwoStepInput!) { completeTwoStep(input: $input) { token } }`,
    actor: "plain",
    public: true,
    vars: (fx) => fuzzVars({ input: inputObject({ challengeId: challengeIdOf(fx.twoStepChallengeId), code: arg(P.code), method }) }),
  },
  createApiKey: {
    query: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix } } }`,
    actor: "plain",
    vars: () =>
      fuzzVars({
        input: inputObject({
          name: arg(fc.string({ minLength: 1, maxLength: 64 })),
          scopes: arg(
            fc.oneof(
              fc.subarray(["ACCOUNT_READ", "ACCOUNT_WRITE"]),
              fc.array(fc.constantFrom("ACCOUNT_READ", "account:read", "ACCOUNT_ADMIN", "*", ""), { maxLength: 30 }),
              fc.constant(null),
            ),
            false,
          ),
          expiresAt: arg(fc.oneof(P.instant, fc.constant(null))),
        }),
      }),
  },
  revokeApiKey: {
    query: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { revokedApiKeyId account { id } } }`,
    actor: "plain",
    vars: (fx) => fuzzVars({ input: inputObject({ id: challengeIdOf(fx.apiKeyId, fx.plainSessionIds[0]) }) }),
  },
  startProviderBinding: {
    query: `mutation($input: StartProviderBindingInput!) { startProviderBinding(input: $input) { authorization { state authorizeUrl } } }`,
    actor: "plain",
    vars: (fx) => fuzzVars({ input: inputObject({ provider: provider, redirectUri: redirect(fx) }) }),
  },
  completeProviderBinding: {
    query: `mutation($input: CompleteProviderBindingInput!) { completeProviderBinding(input: $input) { identity { id } account { id } } }`,
    actor: "plain",
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          provider: provider,
          code: arg(fc.oneof(fc.string(), fc.constant(fx.bindCode))),
          state: arg(fc.oneof(fc.string(), fc.constant(fx.bindState))),
        }),
      }),
  },
  unbindProvider: {
    query: `mutation($input: UnbindProviderInput!) { unbindProvider(input: $input) { unboundIdentityId account { id } } }`,
    actor: "secured",
    vars: () => fuzzVars({ input: inputObject({ provider: provider }) }),
  },
  startProviderLogin: {
    query: `mutation($input: StartProviderLoginInput!) { startProviderLogin(input: $input) { authorization { state authorizeUrl } } }`,
    actor: "plain",
    public: true,
    vars: (fx) => fuzzVars({ input: inputObject({ provider, redirectUri: redirect(fx) }) }),
  },
  loginWithProvider: {
    query: `mutation($input: LoginWithProviderInput!) { loginWithProvider(input: $input) { result { __typename } } }`,
    actor: "plain",
    public: true,
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          provider,
          code: arg(fc.oneof(fc.string(), fc.constant(fx.loginCode))),
          state: arg(fc.oneof(fc.string(), fc.constant(fx.loginState))),
        }),
      }),
  },
  revokeSession: {
    query: `mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { revokedSessionId } }`,
    actor: "plain",
    vars: (fx) => fuzzVars({ input: inputObject({ id: challengeIdOf(...fx.plainSessionIds, fx.apiKeyId) }) }),
  },
  startRealNameVerification: {
    query: `mutation($input: StartRealNameVerificationInput!) { startRealNameVerification(input: $input) { realName { status maskedName maskedIdNumber } } }`,
    actor: "plain",
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          legalName: arg(P.legalName),
          idNumber: arg(P.idNumber),
          returnUrl: arg(
            fc.oneof({ arbitrary: fc.constantFrom(null, callbackUrl(fx.app)), weight: 4 }, { arbitrary: fc.webUrl(), weight: 1 }),
          ),
        }),
      }),
  },
  refreshRealNameVerification: {
    query: `mutation { refreshRealNameVerification { realName { status } } }`,
    actor: "plain",
    vars: () => extraVariables,
  },
  adminReplaceContact: {
    query: `mutation($input: AdminReplaceContactInput!) { adminReplaceContact(input: $input) { contact { id } account { id } } }`,
    actor: "support",
    vars: (fx) =>
      fuzzVars({
        input: inputObject({
          accountId: arg(fc.oneof(P.uuid, fc.constantFrom(fx.plain.id, fx.secured.id, fx.support.id))),
          kind: kind,
          address: address(fx),
          reason: arg(P.reason),
        }),
      }),
  },
  // queries
  me: { query: `query { me { id username } }`, actor: "plain", public: true, vars: () => extraVariables },
  auditEvents: {
    query: `query($first: Int, $after: String, $last: Int, $before: String, $types: [AuditEventType!], $since: DateTime, $until: DateTime) {
      me { auditEvents(first: $first, after: $after, last: $last, before: $before, types: $types, since: $since, until: $until) {
        pageInfo { endCursor hasNextPage } edges { cursor node { type } } totalCount } } }`,
    actor: "plain",
    vars: (fx) =>
      fuzzVars({
        first: arg(fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constant(null)), false),
        after: arg(fc.oneof(fc.string(), fc.constant(fx.auditCursor), fc.constant(null))),
        last: arg(fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constant(null)), false),
        before: arg(fc.oneof(fc.string(), fc.constant(fx.auditCursor), fc.constant(null))),
        types: arg(fc.oneof(fc.array(fc.oneof(fc.string(), fc.constant("SIGN_IN"))), fc.constant(null))),
        since: arg(
          fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
            fc.constant(null),
          ),
        ),
        until: arg(
          fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.constant(null),
          ),
        ),
      }),
  },
};

/** For operations without arguments: unknown variables must be ignored, whatever they hold. */
const extraVariables: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string({ maxLength: 8 })),
  hostileValue,
  { maxKeys: 3 },
);

// ---- the fixture ----------------------------------------------------------------------------------

let fx: Fixture;

async function signIn(app: TestApp, username: string, password: string): Promise<string> {
  const data = await app.client.ok(LOGIN, { input: { identifier: username, password } });
  if (data.login.result.__typename !== "AuthPayload") throw new Error(`could not sign in ${username}: ${JSON.stringify(data)}`);
  return data.login.result.token;
}

async function buildFixture(): Promise<Fixture> {
  const app = await startTestApp(FUZZ_ENV);
  const client = app.client;
  // plain
  const alice = await registerSteppedUp(client, uniqueUsername("alice"));
  await signIn(app, alice.username, alice.password);
  const sessions = await alice.client.ok(`{ me { sessions { nodes { id } } } }`);
  const { startContactBinding } = await alice.client.ok(
    `mutation($a: String!) { startContactBinding(input: { kind: EMAIL, address: $a }) { challenge { id } } }`,
    {
      a: uniqueEmail("alice"),
    },
  );
  const { createApiKey } = await alice.client.ok(`mutation { createApiKey(input: { name: "fixture" }) { apiKey { id } } }`);
  const callback = callbackUrl(app);
  const { startProviderBinding } = await alice.client.ok(
    `mutation($r: String!) { startProviderBinding(input: { provider: WECHAT, redirectUri: $r }) { authorization { state authorizeUrl } } }`,
    { r: callback },
  );
  const bind = await consent(startProviderBinding.authorization.authorizeUrl, "fuzz-bind");
  const { startProviderLogin } = await client.ok(
    `mutation($r: String!) { startProviderLogin(input: { provider: QQ, redirectUri: $r }) { authorization { state authorizeUrl } } }`,
    { r: callback },
  );
  const providerLogin = await consent(startProviderLogin.authorization.authorizeUrl, "fuzz-login");
  const audit = await alice.client.ok(`{ me { auditEvents(first: 1) { pageInfo { endCursor } } } }`);
  // secured
  const bob = await registerSteppedUp(client, uniqueUsername("bob"));
  const securedEmail = uniqueEmail("bob");
  const securedPhone = uniquePhone();
  await bindContact(app, bob.client, "EMAIL", securedEmail);
  await bindContact(app, bob.client, "PHONE", securedPhone);
  await stepUp(app, bob.client, "EMAIL", securedEmail);
  await enrolTotp(app, bob.client);
  await bob.client.ok(`mutation { setTwoStepVerification(input: { enabled: true }) { account { id } } }`);
  const twoStep = await client.ok(LOGIN, { input: { identifier: bob.username, password: bob.password } });
  if (twoStep.login.result.__typename !== "TwoStepChallenge") throw new Error("two-step sign-in did not start");
  const { requestStepUp } = await bob.client.ok(`mutation { requestStepUp(input: { method: SMS }) { challenge { id } } }`);
  const { startContactUnbinding } = await bob.client.ok(`mutation { startContactUnbinding(input: { kind: EMAIL }) { challenge { id } } }`);
  // support
  const carol = await registerSteppedUp(client, uniqueUsername("carol"));
  await grantRole(app.dataSource, carol.username, "SUPPORT");

  const actor = (user: { id: string; username: string; password: string; token: string }): Actor => ({
    id: user.id,
    username: user.username,
    password: user.password,
    token: user.token,
  });
  return {
    app,
    plain: actor(alice),
    secured: actor(bob),
    support: actor(carol),
    securedEmail,
    securedPhone,
    contactChallengeId: startContactBinding.challenge.id,
    stepUpChallengeId: requestStepUp.challenge.id,
    unbindChallengeId: startContactUnbinding.challenge.id,
    twoStepChallengeId: twoStep.login.result.id,
    plainSessionIds: sessions.me.sessions.nodes.map((s: { id: string }) => s.id),
    apiKeyId: createApiKey.apiKey.id,
    bindState: bind.state,
    bindCode: bind.code,
    loginState: providerLogin.state,
    loginCode: providerLogin.code,
    auditCursor: audit.me.auditEvents.pageInfo.endCursor,
  };
}

/** Keeps the fixture's actors signed in after a run that succeeded in signing one out or changing its password. */
async function keepSignedIn(spec: Spec, vars: Record<string, unknown>, response: FuzzResponse): Promise<void> {
  const actor = fx[spec.actor];
  const succeeded = !response.json?.errors?.length;
  if (succeeded && spec.query.includes("changePassword(")) actor.password = (vars.input as { newPassword: string }).newPassword;
  const [row] = await fx.app.dataSource.query(
    `SELECT username FROM "accounts" WHERE id = ${fx.app.dataSource.options.type === "postgres" ? "$1" : "?"}`,
    [actor.id],
  );
  actor.username = row.username;
  const me = await fx.app.client.as(actor.token).request(`{ me { id } }`);
  if (me.data?.me?.id !== actor.id) actor.token = await signIn(fx.app, actor.username, actor.password);
}

/** Waits until background work (a password-reset look-up and send) has written what it writes. */
async function settle(): Promise<void> {
  let last = "";
  let stableSince = Date.now();
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const now = JSON.stringify((await snapshot(fx.app.dataSource, [])).counts);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 150) return;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

beforeAll(async () => {
  fx = await buildFixture();
}, 60_000);
afterAll(async () => {
  const outcomes = Object.entries(fuzzStats.outcomes).map(
    ([name, counts]) =>
      `  ${name}: ${Object.entries(counts)
        .map(([code, n]) => `${code} ${n}`)
        .join(", ")}`,
  );
  console.log(
    `fuzz: ${fuzzStats.executions} requests over ${fuzzStats.properties} properties (${fuzzStats.skippedForTime} runs skipped for time)\n${outcomes.join("\n")}`,
  );
  await fx?.app.stop();
});

// ---- the properties -------------------------------------------------------------------------------

type Auth = { kind: "actor" } | { kind: "none" } | { kind: "hostile"; header: string };

function authArbitrary(spec: Spec): fc.Arbitrary<Auth> {
  const actor = fc.constant<Auth>({ kind: "actor" });
  const none = fc.constant<Auth>({ kind: "none" });
  const hostile = hostileAuthorization.map<Auth>((header) => ({ kind: "hostile", header }));
  return spec.public
    ? fc.oneof({ arbitrary: actor, weight: 3 }, { arbitrary: none, weight: 3 }, { arbitrary: hostile, weight: 1 })
    : fc.oneof({ arbitrary: actor, weight: 8 }, { arbitrary: none, weight: 1 }, { arbitrary: hostile, weight: 1 });
}

function labelOf(spec: Spec): string {
  return Object.keys(SPECS).find((name) => SPECS[name] === spec) ?? "?";
}

async function runOnce(spec: Spec, rawVars: Record<string, unknown>, auth: Auth): Promise<void> {
  // A copy as the wire carries it (undefined dropped), so trimming to the body limit leaves fast-check's value alone.
  const variables = JSON.parse(JSON.stringify(rawVars)) as Record<string, unknown>;
  const body = fitBody({ query: spec.query, variables });
  const headers: Record<string, string> =
    auth.kind === "actor"
      ? { authorization: `Bearer ${fx[spec.actor].token}` }
      : auth.kind === "hostile"
        ? { authorization: auth.header }
        : {};
  const watched = [fx.plain.id, fx.secured.id, fx.support.id];
  const before: DbSnapshot = await snapshot(fx.app.dataSource, watched);
  const response = await postGraphQL(fx.app.url, body, headers);
  if (spec.background) await settle();
  const problems = contractViolations(response, body);
  const failed = Boolean(response.json?.errors?.length);
  recordOutcome(labelOf(spec), failed ? `${errorCodes(response)[0]}${auth.kind === "actor" ? "" : ` (${auth.kind} auth)`}` : "OK");
  if (failed) problems.push(...unexpectedChanges(before, await snapshot(fx.app.dataSource, watched)));
  if (!spec.public && auth.kind !== "actor" && failed) {
    const allowed = new Set(["UNAUTHENTICATED", "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]);
    const others = errorCodes(response).filter((code) => !allowed.has(code));
    if (others.length) problems.push(`without a valid session the answer was ${others.join(", ")}, not UNAUTHENTICATED`);
  }
  if (!spec.public && auth.kind !== "actor" && !failed) {
    // Query.me answers null without a session; every mutation here needs one.
    const me = (response.json?.data as { me?: unknown } | undefined)?.me;
    if (!spec.query.startsWith("query") || me !== null) problems.push("succeeded without a valid session");
  }
  await keepSignedIn(spec, body.variables, response);
  if (problems.length) {
    throw new Error(`${problems.join("\n")}\nresponse: HTTP ${response.status} ${response.text.slice(0, 1500)}`);
  }
}

describe("fuzzing every operation with hostile variables", () => {
  it("covers every mutation of schema.graphql", () => {
    const schema = buildSchema(fs.readFileSync(path.join(__dirname, "../../schema.graphql"), "utf8"));
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(mutations.filter((name) => !(name in SPECS))).toEqual([]);
  });

  it.each(Object.keys(SPECS))("%s: no internal errors, no leaks, only documented codes, nothing written on failure", async (name) => {
    const spec = SPECS[name];
    await checkBounded([spec.vars(fx), authArbitrary(spec)], (vars, auth) => runOnce(spec, vars, auth), fuzzParameters(name));
  });

  it("leaves Object.prototype unpolluted by __proto__ and constructor.prototype payloads", () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---- the request itself ----------------------------------------------------------------------------

/** Pieces of GraphQL documents: valid, broken, too deep, too wide, with odd literals. */
const DOCUMENT_PIECES: readonly string[] = [
  "{ me { id } }",
  "{ providers { kind enabled } }",
  "query { __typename }",
  "query Q($a: Int) { __typename }",
  "mutation { logout { signedOutSessionId } }",
  "",
  "{",
  "}",
  "{ me { id }",
  "query ($a: ) { me { id } }",
  "mutation { register }",
  "{ me { nope } }",
  "{ me { id } } { me { id } }",
  "query A { me { id } } query A { me { id } }",
  "fragment F on Account { ...F } { me { ...F } }",
  "{ __schema { types { name } } }",
  `{ __type(name: "Account") ${"{ ofType ".repeat(40)}{ name }${" }".repeat(40)} }`,
  `{ ${Array.from({ length: 1500 }, (_, i) => `a${i}: __typename`).join(" ")} }`,
  `{ me { ${"id ".repeat(3000)}} }`,
  `{ me { id ${"@skip(if: false) ".repeat(500)}} }`,
  `{ ${"a".repeat(20000)} }`,
  "{ me { auditEvents(first: [[[[1]]]]) { pageInfo { endCursor } } } }",
  "{ me { auditEvents(first: 99999999999999999999) { pageInfo { endCursor } } } }",
  '{ me { auditEvents(first: "20", after: 5) { pageInfo { endCursor } } } }',
  'query($x: Int = "a") { __typename }',
  "subscription { me { id } }",
  '{ me(id: "1") { id } }',
  'mutation { register(input: { username: "x", password: 5 }) { token } }',
  "mutation { a: logout b: logout }",
  'mutation { register(input: { username: "fz\\u0000", password: "Tr0ub4dor&3-horse", extra: 1 }) { token } }',
  "{ me { id } } # \u202E",
  "{ me { id } }\u0000",
  "{ me { id @include(if: $undefined) } }",
  "query ($v: [[[String!]!]!]!) { __typename }",
  '{ "me" }',
  "{ me { ... on Query { me { id } } } }",
  "{ ...on Account { id } }",
  "mutation ($i: RegisterInput!) { register(input: $i) { token } }",
];

const documentArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...DOCUMENT_PIECES), weight: 5 },
  {
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...DOCUMENT_PIECES), fc.constantFrom(...TRICKY_STRINGS)), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join(" ")),
    weight: 4,
  },
  { arbitrary: hostileValue, weight: 1 },
);

const envelopeArbitrary = fc.record({
  query: fc.option(documentArbitrary, { nil: undefined, freq: 20 }),
  variables: fc.oneof(
    { arbitrary: fc.dictionary(fc.constantFrom("a", "i", "v", "x", "input"), hostileValue, { maxKeys: 3 }), weight: 5 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 2 },
  ),
  operationName: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom("A", "Q", "Nope"), weight: 1 },
    { arbitrary: hostileValue, weight: 1 },
  ),
  extensions: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: fc.constantFrom(null, {}, "x", [], { foo: 1 }), weight: 1 },
    {
      arbitrary: fc.record({
        persistedQuery: fc.record({
          version: fc.oneof(fc.constant(1), hostileValue),
          sha256Hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), hostileValue),
        }),
      }),
      weight: 1,
    },
  ),
});

describe("fuzzing the request itself", () => {
  it("answers any JSON body within the limit with a documented code, and writes nothing when it rejects the request before execution", async () => {
    await checkBounded(
      [envelopeArbitrary, fc.oneof(fc.constant<Auth>({ kind: "actor" }), fc.constant<Auth>({ kind: "none" }))],
      async (envelope, auth) => {
        const body = fitBody(JSON.parse(JSON.stringify(envelope)) as { variables?: unknown });
        const headers: Record<string, string> = auth.kind === "actor" ? { authorization: `Bearer ${fx.plain.token}` } : {};
        const watched = [fx.plain.id, fx.secured.id, fx.support.id];
        const before = await snapshot(fx.app.dataSource, watched);
        const response = await postGraphQL(fx.app.url, body, headers);
        recordOutcome("request envelope", response.json?.errors?.length ? errorCodes(response)[0] : "OK");
        const problems = contractViolations(response, body);
        if (response.json && !("data" in response.json)) {
          problems.push(...unexpectedChanges(before, await snapshot(fx.app.dataSource, watched)));
        }
        await keepSignedIn(SPECS.logout, {}, response);
        if (problems.length) throw new Error(`${problems.join("\n")}\nresponse: HTTP ${response.status} ${response.text.slice(0, 1500)}`);
      },
      { ...fuzzParameters("request envelope"), numRuns: 3 * fuzzParameters("").numRuns, timeLimitMs: 40_000 },
    );
  });
});

function assertNoInternals(response: FuzzResponse): void {
  for (const pattern of INTERNAL_TEXT) expect(response.text).not.toMatch(pattern);
}

function assertDocumentedError(response: FuzzResponse): void {
  expect(response.contentType).toMatch(/^application\/json/);
  expect(typeof response.json?.errors?.[0]?.extensions?.code).toBe("string");
}

describe("requests that once reached an internal error (found by the fuzzers above)", () => {
  it("answers a body over the 100 kB limit with a JSON error and no stack trace (src/server.ts: express.json errors reach Express's default handler)", async () => {
    const response = await postGraphQL(fx.app.url, { query: "{ me { id } }", variables: { a: "A".repeat(BODY_LIMIT_BYTES + 10) } });
    expect(response.status).toBe(413);
    assertNoInternals(response);
    assertDocumentedError(response);
  });

  it("answers a body that is not JSON with a JSON error and no stack trace (src/server.ts: body-parser's SyntaxError reaches Express's default handler)", async () => {
    const response = await postGraphQL(fx.app.url, '{"query": "{ me { id } }", ');
    expect(response.status).toBe(400);
    assertNoInternals(response);
    assertDocumentedError(response);
  });

  it("answers variables nested 20 000 deep with BAD_USER_INPUT (HTTP 400), not HTTP 500 INTERNAL_SERVER_ERROR and an error log (graphql-js's coercion overflowed the stack)", async () => {
    const nested = `${'{"a":['.repeat(10_000)}"x"${"]}".repeat(10_000)}`;
    const response = await postGraphQL(
      fx.app.url,
      `{"query": "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id } } }", "variables": {"input": {"avatarUrl": ${nested}}}}`,
      { authorization: `Bearer ${fx.plain.token}` },
    );
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    assertNoInternals(response);
  });

  it("answers a persisted-query hash that does not match its query as a bad request, not INTERNAL_SERVER_ERROR (src/errors.ts: Apollo's error has no code)", async () => {
    const response = await postGraphQL(fx.app.url, {
      query: "{ me { id } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(response.status).toBe(400);
    expect(errorCodes(response)).not.toContain("INTERNAL_SERVER_ERROR");
  });

  it("answers an operationName that names no operation of the document as a bad request, not HTTP 500 INTERNAL_SERVER_ERROR (src/graphql/query-limits.ts: getComplexity throws a TypeError on an anonymous operation)", async () => {
    for (const operationName of ["Nope", ""]) {
      const response = await postGraphQL(fx.app.url, { query: "{ providers { kind } }", operationName });
      expect(response.status).toBe(400);
      expect(errorCodes(response)).not.toContain("INTERNAL_SERVER_ERROR");
    }
  });

  it("answers a subscription operation (the schema has none) as a bad request, not INTERNAL_SERVER_ERROR (src/errors.ts: graphql-js's 'Schema is not configured to execute subscription operation.' has no code)", async () => {
    const response = await postGraphQL(fx.app.url, { query: "subscription { me { id } }" });
    expect(errorCodes(response)).toHaveLength(1);
    expect(errorCodes(response)).not.toContain("INTERNAL_SERVER_ERROR");
  });

  it("answers QUERY_TOO_COMPLEX, a client's mistake, with HTTP 400, not 500 (src/graphql/query-limits.ts: an AppError thrown in didResolveOperation carries no http status, so Apollo answers 500)", async () => {
    // Costs 1 200 in under GRAPHQL_MAX_QUERY_BYTES' 16 kB (longer text is refused as QUERY_TOO_LARGE first).
    const response = await postGraphQL(fx.app.url, {
      query: `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: providers { kind }`).join(" ")} }`,
    });
    expect(errorCodes(response)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(response.status).toBe(400);
  });

  // Correct on SQLite already, so a plain test there.
  it("answers text holding U+0000 without INTERNAL_SERVER_ERROR (PostgreSQL refuses NUL in text: login and resetPassword identifiers, redirectUri, avatarUrl reach it unchecked)", async () => {
    const nul = "\u0000";
    const callback = callbackUrl(fx.app);
    const user = fx.app.client.as(fx.plain.token);
    const cases: [string, string, Record<string, unknown>, typeof user][] = [
      [
        "login identifier",
        `mutation($i: LoginInput!) { login(input: $i) { result { __typename } } }`,
        { i: { identifier: `nobody${nul}x`, password: "wrong password" } },
        fx.app.client,
      ],
      [
        "login identifier (email)",
        `mutation($i: LoginInput!) { login(input: $i) { result { __typename } } }`,
        { i: { identifier: `a${nul}@example.com`, password: "wrong password" } },
        fx.app.client,
      ],
      [
        "resetPassword identifier",
        `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { revokedSessionCount } }`,
        { i: { identifier: `a${nul}@example.com`, code: "123456", newPassword: "Tr0ub4dor&3-horse" } },
        fx.app.client,
      ],
      [
        "startProviderLogin redirectUri",
        `mutation($r: String!) { startProviderLogin(input: { provider: WECHAT, redirectUri: $r }) { authorization { state } } }`,
        { r: `${callback}${nul}` },
        fx.app.client,
      ],
      [
        "startProviderBinding redirectUri",
        `mutation($r: String!) { startProviderBinding(input: { provider: QQ, redirectUri: $r }) { authorization { state } } }`,
        { r: `${callback}${nul}` },
        user,
      ],
      [
        "updateProfile avatarUrl",
        `mutation($a: String) { updateProfile(input: { avatarUrl: $a }) { account { id } } }`,
        { a: `https://cdn.example.com/a${nul}.png` },
        user,
      ],
    ];
    const answers: string[] = [];
    for (const [label, query, variables, client] of cases) {
      const response = await client.request(query, variables);
      answers.push(`${label}: ${response.errors?.map((e) => e.extensions?.code).join(",") ?? "OK"}`);
    }
    expect(answers.filter((answer) => answer.includes("INTERNAL_SERVER_ERROR"))).toEqual([]);
  });

  it("answers text holding a lone UTF-16 surrogate with BAD_USER_INPUT, not INTERNAL_SERVER_ERROR (validator's isEmail threw URIError on it)", async () => {
    for (const lone of ["\udbff", "\udc00"]) {
      const identifier = `x${lone}fuzz@example.com`;
      const reset = await fx.app.client.request(
        `mutation($i: String!) { requestPasswordReset(input: { identifier: $i }) { identifier } }`,
        { i: identifier },
      );
      const login = await fx.app.client.request(`mutation($i: LoginInput!) { login(input: $i) { result { __typename } } }`, {
        i: { identifier, password: "wrong password" },
      });
      for (const response of [reset, login]) expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("never echoes a submitted value in an error (src/errors.ts promises field messages 'never the submitted values'; graphql-js coercion messages carry them)", async () => {
    const secret = "My-Secret-Passw0rd-4711";
    const response = await postGraphQL(fx.app.url, {
      query: `mutation($input: RegisterInput!) { register(input: $input) { token } }`,
      variables: { input: { username: "echo_test", password: [secret] } },
    });
    expect(errorCodes(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.text).not.toContain(secret);
  });
});
