import { seedRichAccounts } from "../bench/rich";
import { spaDocument } from "../bench/spa-documents";
import { DataCipher } from "../src/core/cipher";
import { stepUpWithPassword, registerUser } from "./helpers/accounts";
import { recordStatements } from "./helpers/statements";
import { startTestApp, type TestApp } from "./helpers/test-server";

/** The account center's own page query, as the SPA sends it. */
const PAGE = spaDocument("session.tsx", "Me");

let app: TestApp;
/** The SQL statements the server ran since the last `statements.length = 0`. */
let statements: string[];

beforeAll(async () => {
  app = await startTestApp();
  statements = recordStatements(app.dataSource);
});
afterAll(() => app.stop());

/** A signed-in account with everything the page shows: contacts, identities, an authenticator, a passed real-name check. */
async function richUser() {
  const user = await registerUser(app.client);
  const { config } = app;
  const cipher = new DataCipher({ id: config.dataEncryptionKeyId, key: config.dataEncryptionKey! }, config.previousDataEncryptionKeys);
  await seedRichAccounts(app.dataSource, [user.id], cipher);
  return user;
}

async function page(client: TestApp["client"]) {
  statements.length = 0;
  const { me } = await client.ok(PAGE);
  return { me, statements: [...statements] };
}

describe("the account center's page", () => {
  it("reads the database once per account, and not on a repeat within the caches' time", async () => {
    const user = await richUser();
    const first = await page(user.client);
    expect(first.me.realName).toMatchObject({ status: "PASSED", maskedName: "张**" });
    expect(first.me.security).toMatchObject({ recoveryCodesRemaining: 10, stepUpValidUntil: null });
    expect(first.statements.length).toBeGreaterThan(0);

    const again = await page(user.client);
    expect(again.statements).toEqual([]);
    expect(again.me).toEqual(first.me);
  });

  it("shows a step-up at once, without a query of its own", async () => {
    // Only the password: an account with second factors would step up with one of them.
    const user = await registerUser(app.client);
    await page(user.client);
    await stepUpWithPassword(user.client);
    const after = await page(user.client);
    expect(after.me.security.stepUpRequiredFor).toEqual([]);
    expect(Date.parse(after.me.security.stepUpValidUntil)).toBeGreaterThan(app.clock.now().getTime());
    // The step-up wrote the session: authentication read it again, and nothing else did.
    expect(after.statements).toHaveLength(1);
  });
});
