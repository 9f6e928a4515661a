import { ME, registerSteppedUp } from "../helpers/accounts";
import { START_BINDING, uniquePhone } from "../helpers/contacts";
import { startTestApp, type TestApp } from "../helpers/test-server";

/**
 * REQUEST_TIMEOUT_MS bounds a whole GraphQL request, whatever it waits on: here an SMS vendor that
 * never answers, with the vendor's own timeout (PROVIDER_TIMEOUT_MS) set far longer. The request is
 * answered SERVICE_UNAVAILABLE with HTTP 503 at the deadline, and the process serves on.
 */

const DEADLINE_MS = 400;
const PROVIDER_TIMEOUT_MS = 4000;

describe("the request deadline", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      REQUEST_TIMEOUT_MS: String(DEADLINE_MS),
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      LOG_LEVEL: "silent",
    });
  });
  afterAll(async () => {
    // The vendor first, so the request still hanging on it ends and the shutdown does not wait for it.
    await app.sms.stop();
    await app.stop().catch((error: { code?: string }) => {
      if (error.code !== "ERR_SERVER_NOT_RUNNING") throw error;
    });
  });

  it("answers a request stuck on a hanging vendor SERVICE_UNAVAILABLE (HTTP 503) at the deadline, not at the vendor's timeout", async () => {
    const user = await registerSteppedUp(app.client);
    app.sms.hangNext();
    const started = Date.now();
    const answer = await user.client.request(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(503);
    expect(answer.errors).toEqual([
      { message: "A service this needs is not answering; try again shortly.", extensions: { code: "SERVICE_UNAVAILABLE" } },
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(elapsed).toBeLessThan(PROVIDER_TIMEOUT_MS / 2);
  });

  it("serves on meanwhile and afterwards: the next binding's SMS goes out", async () => {
    const user = await registerSteppedUp(app.client);
    app.sms.hangNext();
    const hung = user.client.request(START_BINDING, { kind: "PHONE", address: uniquePhone() });
    expect((await user.client.ok(ME)).me.id).toBe(user.id);
    expect((await hung).errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    const phone = uniquePhone();
    const { startContactBinding } = await user.client.ok(START_BINDING, { kind: "PHONE", address: phone });
    expect(startContactBinding.challenge.id).toBeTruthy();
    expect(await app.smsCodeFor(phone)).toMatch(/^\d{6}$/);
  });
});
