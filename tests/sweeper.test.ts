import { ChallengeEntity, OAuthStateEntity } from "../src/entities";
import { registerSteppedUp, stepUpWithPassword } from "./helpers/accounts";
import { START_BINDING as START_CONTACT_BINDING, uniqueEmail } from "./helpers/contacts";
import { callbackUrl, START_LOGIN } from "./helpers/social";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ SWEEP_INTERVAL_SECONDS: "1" });
});
afterAll(() => app.stop());

async function rows() {
  return {
    states: await app.dataSource.getRepository(OAuthStateEntity).count(),
    challenges: await app.dataSource.getRepository(ChallengeEntity).count(),
  };
}

it("deletes expired and used OAuth states and challenges on a schedule, by the server's clock, and keeps live ones", async () => {
  const user = await registerSteppedUp(app.client);
  for (let i = 0; i < 3; i++) await app.client.ok(START_LOGIN, { p: "QQ", r: callbackUrl(app) });
  await user.client.ok(START_CONTACT_BINDING, { kind: "EMAIL", address: uniqueEmail() });
  // A newer code to the same address retires (uses up) the older one.
  const address = uniqueEmail();
  await user.client.ok(START_CONTACT_BINDING, { kind: "EMAIL", address });
  app.clock.advanceSeconds(app.config.codes.resendCooldownSeconds + 1);
  await user.client.ok(START_CONTACT_BINDING, { kind: "EMAIL", address });
  await eventually(async () => ((await rows()).challenges === 2 ? true : undefined), 3000);
  expect(await rows()).toEqual({ states: 3, challenges: 2 });

  app.clock.advanceSeconds(601);
  await app.client.ok(START_LOGIN, { p: "QQ", r: callbackUrl(app) });
  await stepUpWithPassword(user.client); // the first step-up has lapsed; this one's used challenge is swept too
  await user.client.ok(START_CONTACT_BINDING, { kind: "EMAIL", address: uniqueEmail() });
  await eventually(async () => {
    const now = await rows();
    return now.states === 1 && now.challenges === 1 ? now : undefined;
  }, 5000);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // another sweep or so: the live rows stay
  expect(await rows()).toEqual({ states: 1, challenges: 1 });
});
