import { registerSteppedUp, registerUser, signInAgain, stepUpWithPassword } from "./helpers/accounts";
import { codeNow, enrolTotp, START_TOTP, stepUpWith } from "./helpers/second-factors";
import { startTestApp, type TestApp } from "./helpers/test-server";
import { SensitiveAction } from "../src/modules/step-up/sensitive-action";

const HINTS = /* GraphQL */ `
  query StepUpHints {
    me {
      security {
        stepUpMethods
        stepUpValidUntil
        stepUpRequiredFor
      }
    }
  }
`;

const TTL_SECONDS = 600;
const EVERY_ACTION = Object.values(SensitiveAction).sort();

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ STEP_UP_TTL_SECONDS: String(TTL_SECONDS) });
});
afterAll(() => app.stop());

async function hints(client: TestApp["client"]) {
  const { security } = (await client.ok(HINTS)).me;
  return { ...security, stepUpRequiredFor: [...security.stepUpRequiredFor].sort() as string[] };
}

describe("security.stepUpValidUntil and stepUpRequiredFor", () => {
  it("with only a password: every action asks but changePassword (the old password is the proof), until a step-up, and again once it lapses", async () => {
    const user = await registerUser(app.client);
    const before = await hints(user.client);
    expect(before).toEqual({
      stepUpMethods: ["PASSWORD"],
      stepUpValidUntil: null,
      stepUpRequiredFor: EVERY_ACTION.filter((action) => action !== SensitiveAction.CHANGE_PASSWORD),
    });
    // The hint says what the server then does.
    expect((await user.client.fails(START_TOTP)).extensions?.code).toBe("STEP_UP_REQUIRED");

    await stepUpWithPassword(user.client);
    const steppedUpAt = app.clock.now().getTime();
    const after = await hints(user.client);
    expect(after.stepUpRequiredFor).toEqual([]);
    const validUntil = Date.parse(after.stepUpValidUntil);
    expect(validUntil).toBeGreaterThan(steppedUpAt + (TTL_SECONDS - 5) * 1000);
    expect(validUntil).toBeLessThanOrEqual(steppedUpAt + TTL_SECONDS * 1000);
    expect((await user.client.request(START_TOTP)).errors).toBeUndefined();

    app.clock.advanceSeconds(TTL_SECONDS + 1);
    expect(await hints(user.client)).toEqual(before);
  });

  it("with a second factor: changePassword asks too", async () => {
    const user = await registerSteppedUp(app.client);
    const { secret } = await enrolTotp(app, user.client);
    app.clock.advanceSeconds(TTL_SECONDS + 1);
    expect(await hints(user.client)).toMatchObject({ stepUpValidUntil: null, stepUpRequiredFor: EVERY_ACTION });
    await stepUpWith(user.client, "TOTP", codeNow(app, secret));
    expect(await hints(user.client)).toMatchObject({ stepUpRequiredFor: [] });
  });

  it("is this session's own: another session of the account still has to step up", async () => {
    const user = await registerSteppedUp(app.client);
    const laptop = await signInAgain(app.client, user.username);
    expect((await hints(user.client)).stepUpRequiredFor).toEqual([]);
    expect(await hints(laptop)).toMatchObject({
      stepUpValidUntil: null,
      stepUpRequiredFor: EVERY_ACTION.filter((action) => action !== SensitiveAction.CHANGE_PASSWORD),
    });
  });
});
