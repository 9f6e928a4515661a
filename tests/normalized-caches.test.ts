/**
 * Apollo Client's "development" build, whose cache warns (e.g. "Cache data may be lost"); its default build is silent.
 * @jest-environment-options {"customExportConditions": ["development", "node", "node-addons"]}
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { loadDevMessages, loadErrorMessages } from "@apollo/client/dev";
import { Client, fetchExchange } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";
import fs from "node:fs";
import path from "node:path";
import { introspectionFromSchema, isAbstractType } from "graphql";
import { spaDocument, spaOperations } from "../bench/spa-documents";
import { checkCharacter } from "../src/modules/real-name/id-number";
import { DEFAULT_PASSWORD, uniqueUsername } from "./helpers/accounts";
import { codeSentTo, sentCount, uniqueEmail } from "./helpers/contacts";
import { publishedSchema } from "./helpers/published-schema";
import { callbackUrl, consent } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { totp } from "./helpers/totp";

/*
 * The account center's own documents through the two common normalized caches, configured as docs/api.md
 * says (nothing but the schema's types): after each mutation the SPA sends, every page query read
 * from the cache alone must equal the same query fetched by a fresh client, and neither cache may warn.
 */

// The warnings' words instead of links to them.
loadDevMessages();
loadErrorMessages();

/** The `possibleTypes` docs/api.md publishes: Apollo's whole configuration. */
const possibleTypes = JSON.parse(
  /```json possibleTypes\n([^`]*)```/.exec(fs.readFileSync(path.join(__dirname, "../docs/api.md"), "utf8"))![1],
);

/** graphcache's `schema`: the introspection of schema.graphql (with possibleTypes alone it writes every fragment of a union, and warns). */
const introspection = introspectionFromSchema(publishedSchema());

it("docs/api.md publishes the schema's possible types", () => {
  const schema = publishedSchema();
  const abstract = Object.values(schema.getTypeMap()).filter(isAbstractType);
  expect(possibleTypes).toEqual(
    Object.fromEntries(abstract.map((type) => [type.name, schema.getPossibleTypes(type).map((each) => each.name)])),
  );
});

const operations = spaOperations();
function spa(name: string): string {
  const operation = operations.find((each) => each.name === name);
  if (!operation) throw new Error(`web/src defines no operation ${name}`);
  return spaDocument(operation.file, name);
}

type Variables = Record<string, unknown>;
/** A page query and its variables, as the page sends it. */
type Page = readonly [name: string, variables?: Variables];
/** What the pages of a signed-in person query, and of a signed-out one (the sign-in page's provider buttons). */
const SIGNED_IN: Page[] = [["Me"], ["ApiKeys"], ["Sessions"], ["RealNameStatus"], ["Providers"]];
const SIGNED_OUT: Page[] = [["Providers"]];
// The security log is appended to by nearly every request, mutation or not, and its page reads it from the
// network each time it opens: it goes through the caches (so they must store it without a warning) but
// is not compared.
const NETWORK_ONLY: Page[] = [["AuditEvents", { after: null }]];

interface CacheClient {
  /** Fetches from the network and writes the answer into the cache, as opening a page does. */
  fetch(name: string, variables?: Variables): Promise<unknown>;
  /** What the cache alone answers (null when it has not all of it). */
  read(name: string, variables?: Variables): Promise<unknown>;
  mutate(name: string, variables?: Variables): Promise<any>;
}

type Kind = "apollo" | "urql";

/** Every console.warn/console.error and graphcache logger message while the test runs. */
const warnings: string[] = [];

/** The Authorization header for the token the client holds now, read per request as the SPA does. */
function bearer(token: () => string | null): Record<string, string> {
  const now = token();
  return now ? { authorization: `Bearer ${now}` } : {};
}

function apolloClient(app: TestApp, token: () => string | null): CacheClient {
  const client = new ApolloClient({
    link: new HttpLink({ uri: app.url, fetch: (uri, init) => fetch(uri, { ...init, headers: { ...init?.headers, ...bearer(token) } }) }),
    cache: new InMemoryCache({ possibleTypes }),
  });
  return {
    async fetch(name, variables) {
      return (await client.query({ query: gql(spa(name)), variables, fetchPolicy: "network-only" })).data;
    },
    read: (name, variables) => Promise.resolve(client.readQuery({ query: gql(spa(name)), variables })),
    async mutate(name, variables) {
      return (await client.mutate({ mutation: gql(spa(name)), variables })).data;
    },
  };
}

function urqlClient(app: TestApp, token: () => string | null): CacheClient {
  const client = new Client({
    url: app.url,
    exchanges: [
      cacheExchange({ schema: introspection, logger: (severity, message) => warnings.push(`graphcache ${severity}: ${message}`) }),
      fetchExchange,
    ],
    fetchOptions: () => ({ headers: bearer(token) }),
    // The SPA POSTs every operation.
    preferGetMethod: false,
  });
  const data = (result: { data?: unknown; error?: Error }) => {
    if (result.error) throw result.error;
    return result.data ?? null;
  };
  return {
    fetch: async (name, variables = {}) => data(await client.query(spa(name), variables, { requestPolicy: "network-only" }).toPromise()),
    read: async (name, variables = {}) => data(await client.query(spa(name), variables, { requestPolicy: "cache-only" }).toPromise()),
    mutate: async (name, variables = {}) => data(await client.mutation(spa(name), variables).toPromise()),
  };
}

let app: TestApp;
beforeAll(async () => {
  // One person's flow sends many codes to one address in a few seconds; the wait between them is not the subject here.
  app = await startTestApp({
    CODE_RESEND_COOLDOWN_SECONDS: "0",
    RATE_LIMIT_CODE_TARGET_HOUR: "100/3600",
    RATE_LIMIT_CODE_TARGET_DAY: "100/86400",
  });
});
afterAll(() => app?.stop());

beforeEach(() => {
  warnings.length = 0;
  for (const method of ["warn", "error"] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      warnings.push(`console.${method}: ${args.map((arg) => JSON.stringify(arg)).join(" ")}`);
    });
  }
});
afterEach(() => jest.restoreAllMocks());

/** The SPA's mutations that give its session a new token, and their payload fields. */
const RENEWING: Record<string, string | undefined> = {
  CompleteStepUp: "completeStepUp",
  ChangePassword: "changePassword",
  SignOutOtherSessions: "signOutOtherSessions",
};

describe.each<Kind>(["apollo", "urql"])("%s configured as docs/api.md says", (kind) => {
  // An ID number of its own for each client's account: a valid birth date and check character.
  const first17 = `11010519900101${kind === "apollo" ? "001" : "002"}`;
  const newClient = (token: () => string | null) => (kind === "apollo" ? apolloClient(app, token) : urqlClient(app, token));

  it("shows after every mutation of the account center what the server has", async () => {
    const sent = new Set<string>();
    let token: string | null = null;
    const current = () => token;
    let client = newClient(current);
    const pages = () => (token ? SIGNED_IN : SIGNED_OUT);

    /** Opens every page, as the person does after signing in (or reloading). */
    const open = async () => {
      for (const [name, variables] of [...pages(), ...(token ? NETWORK_ONLY : [])]) await client.fetch(name, variables);
      expect(warnings).toEqual([]);
    };
    /** A new token is a new person to the cache: the SPA starts over with an empty one. */
    const switchTo = async (next: string | null) => {
      token = next;
      client = newClient(current);
      await open();
    };
    /** Sends one of the SPA's mutations through the client. */
    const send = async (name: string, variables?: Variables) => {
      sent.add(name);
      return client.mutate(name, variables).catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
    };
    /** Every page as the cache has it must be what a fresh client fetches, without a warning. */
    const expectCachesRight = async (name: string) => {
      for (const [page, pageVariables] of pages()) {
        const fresh = await newClient(current).fetch(page, pageVariables);
        expect({ after: name, page, data: await client.read(page, pageVariables) }).toEqual({ after: name, page, data: fresh });
      }
      expect({ after: name, warnings }).toEqual({ after: name, warnings: [] });
    };
    const mutate = async (name: string, variables?: Variables) => {
      const data = await send(name, variables);
      // A step-up, a password change and signing out the other sessions renew the token: sent from then
      // on, with the cache kept (same session, same person).
      const renewing = RENEWING[name];
      if (renewing) token = data[renewing].token;
      await expectCachesRight(name);
      return data;
    };
    /** Moves the clock past the authenticator's step, so its next code is not a replay; the pages are open again. */
    const nextTotpStep = async () => {
      app.clock.advanceSeconds(30);
      await open();
    };

    const email = uniqueEmail("cache");
    const emailCode = async (send: () => Promise<unknown>) => {
      const seen = sentCount(app, "EMAIL", email);
      await send();
      return codeSentTo(app, "EMAIL", email, seen);
    };
    const stepUpByEmail = async () => {
      let id = "";
      const code = await emailCode(async () => {
        id = (await mutate("RequestStepUp", { method: "EMAIL" })).requestStepUp.challenge.id;
      });
      await mutate("CompleteStepUp", { id, code });
    };
    /** Another device signs in: not this client's doing, so its pages are opened again. */
    const otherDeviceSignsIn = async (password: string) => {
      const { login } = await app.client.ok(spa("Login"), { input: { identifier: username, password } });
      expect(login.result.__typename).toBe("AuthPayload");
      await open();
    };

    await open();
    let username = uniqueUsername("cache");
    let password = DEFAULT_PASSWORD;
    await switchTo((await mutate("Register", { input: { username, password } })).register.token);

    username = uniqueUsername("renamed");
    await mutate("UpdateProfile", { input: { username, avatarUrl: "https://cdn.example.com/avatar.png" } });
    await mutate("UpdateProfile", { input: { avatarUrl: null } });

    const passwordStepUp = (await mutate("RequestStepUp", { method: "PASSWORD" })).requestStepUp.challenge.id;
    await mutate("CompleteStepUp", { id: passwordStepUp, password });

    let challengeId = "";
    const bindCode = await emailCode(async () => {
      challengeId = (await mutate("StartContactBinding", { input: { kind: "EMAIL", address: email } })).startContactBinding.challenge.id;
    });
    await mutate("ConfirmContactBinding", { input: { challengeId, code: bindCode } });

    const firstKey = (await mutate("CreateApiKey", { input: { name: "first" } })).createApiKey.account.apiKeys.nodes[0].id;
    await mutate("RevokeApiKey", { input: { id: firstKey } });
    await mutate("CreateApiKey", { input: { name: "second", scopes: ["ACCOUNT_READ"] } });

    await otherDeviceSignsIn(password);
    const sessions = (await client.read("Sessions")) as { me: { sessions: { nodes: { id: string; current: boolean }[] } } };
    await mutate("RevokeSession", { id: sessions.me.sessions.nodes.find((session) => !session.current)!.id });
    await otherDeviceSignsIn(password);
    await mutate("SignOutOtherSessions");

    await otherDeviceSignsIn(password);
    const newPassword = `${password}-changed`;
    await mutate("ChangePassword", { input: { oldPassword: password, newPassword, revokeApiKeys: true } });
    password = newPassword;

    const who = `cache-${kind}-${process.pid}`;
    const binding = (await mutate("StartProviderBinding", { input: { provider: "WECHAT", redirectUri: callbackUrl(app) } }))
      .startProviderBinding;
    const bound = await consent(binding.authorization.authorizeUrl, who);
    await mutate("CompleteProviderBinding", { input: { provider: "WECHAT", ...bound } });

    await switchTo(null);
    const providerLogin = (await mutate("StartProviderLogin", { provider: "WECHAT", redirectUri: callbackUrl(app) })).startProviderLogin;
    const back = await consent(providerLogin.authorization.authorizeUrl, who);
    const viaProvider = (await mutate("LoginWithProvider", { provider: "WECHAT", ...back })).loginWithProvider.result;
    expect(viaProvider.__typename).toBe("AuthPayload");
    await switchTo(viaProvider.token);

    await stepUpByEmail();
    await mutate("UnbindProvider", { input: { provider: "WECHAT" } });

    const { secret } = (await mutate("StartTotpEnrollment")).startTotpEnrollment.enrollment;
    await mutate("ConfirmTotpEnrollment", { input: { code: totp(secret, app.clock.now()) } });
    await mutate("RegenerateRecoveryCodes");
    await mutate("SetTwoStepVerification", { input: { enabled: true } });

    await switchTo(null);
    const challenge = (await mutate("Login", { input: { identifier: username, password } })).login.result;
    expect(challenge.__typename).toBe("TwoStepChallenge");
    const twoStepCode = await emailCode(() => mutate("SendTwoStepCode", { id: challenge.id, method: "EMAIL" }));
    await switchTo((await mutate("CompleteTwoStep", { id: challenge.id, method: "EMAIL", code: twoStepCode })).completeTwoStep.token);

    await stepUpByEmail();
    const started = (
      await mutate("StartRealNameVerification", { input: { legalName: "张三", idNumber: first17 + checkCharacter(first17) } })
    ).startRealNameVerification;
    expect((await fetch(started.account.realName.verifyUrl)).status).toBe(200);
    await mutate("RefreshRealNameVerification");

    await nextTotpStep();
    await mutate("SetTwoStepVerification", { input: { enabled: false } });
    await mutate("DisableTotp", { input: { code: totp(secret, app.clock.now()) } });

    await switchTo(null);
    const resetCode = await emailCode(() => mutate("RequestPasswordReset", { identifier: email }));
    password = `${password}-reset`;
    await mutate("ResetPassword", { input: { identifier: email, code: resetCode, newPassword: password } });
    const signedIn = (await mutate("Login", { input: { identifier: username, password } })).login.result;
    expect(signedIn.__typename).toBe("AuthPayload");
    await switchTo(signedIn.token);

    await stepUpByEmail();
    const unbindCode = await emailCode(async () => {
      challengeId = (await mutate("StartContactUnbinding", { input: { kind: "EMAIL" } })).startContactUnbinding.challenge.id;
    });
    await mutate("ConfirmContactUnbinding", { input: { challengeId, code: unbindCode } });

    // Signing out ends the token: the SPA forgets it, and the cache with it.
    await send("Logout");
    await switchTo(null);
    await expectCachesRight("Logout");

    // A mutation the SPA gains fails this test until it is driven here.
    expect([...sent].sort()).toEqual(
      operations
        .filter((each) => each.kind === "mutation")
        .map((each) => each.name)
        .sort(),
    );
    // Some fifty mutations, each followed by a fresh fetch of every page, on a shared machine.
  }, 600_000);
});
