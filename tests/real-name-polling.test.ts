import { registerSteppedUp } from "./helpers/accounts";
import { certificationOf, startAlipayIdentityApp } from "./helpers/alipay-identity";
import { startRealName } from "./helpers/real-name";
import type { TestApp } from "./helpers/test-server";
import type { FakeAlipay } from "./fakes/alipay-gateway.fake";

/** Account.realName polled while PENDING: the provider is asked at most once per REAL_NAME_POLL_INTERVAL_SECONDS per check. */

const INTERVAL = 30;
const REAL_NAME = `{ me { realName { status verifiedAt } } }`;

let app: TestApp;
let alipay: FakeAlipay;
beforeAll(async () => {
  ({ app, alipay } = await startAlipayIdentityApp({ REAL_NAME_POLL_INTERVAL_SECONDS: String(INTERVAL) }));
});
afterAll(async () => {
  await app.stop();
  await alipay.stop();
});

/** How many times the gateway was asked how a check went. */
const queries = () => alipay.requests.filter((r) => r.method === "alipay.user.certify.open.query").length;

async function status(client: TestApp["client"]): Promise<string> {
  return (await client.ok(REAL_NAME)).me.realName.status;
}

it("turns PASSED on a read, asking the provider at most once per interval", async () => {
  const user = await registerSteppedUp(app.client);
  const verifyUrl = await startRealName(user.client, "张三", "11010519491231002X");
  const before = queries();
  expect(await status(user.client)).toBe("PENDING"); // the first read asks
  expect(queries()).toBe(before + 1);
  await fetch(verifyUrl);
  alipay.completeCertification(certificationOf(verifyUrl), true);
  for (let i = 0; i < 3; i++) expect(await status(user.client)).toBe("PENDING"); // within the interval: the stored status
  expect(queries()).toBe(before + 1);

  app.clock.advanceSeconds(INTERVAL);
  const { realName } = (await user.client.ok(REAL_NAME)).me;
  expect(realName).toEqual({ status: "PASSED", verifiedAt: expect.any(String) });
  expect(queries()).toBe(before + 2);
  app.clock.advanceSeconds(INTERVAL);
  expect(await status(user.client)).toBe("PASSED"); // settled: never asked again
  expect(queries()).toBe(before + 2);
  expect((await user.client.ok(`{ me { auditEvents(first: 1) { nodes { type } } } }`)).me.auditEvents.nodes[0].type).toBe(
    "REAL_NAME_PASSED",
  );
});

it("lets one of many reads at once ask", async () => {
  const user = await registerSteppedUp(app.client);
  await startRealName(user.client, "李四", "360426199101010071");
  const before = queries();
  const answers = await Promise.all(Array.from({ length: 6 }, () => status(user.client)));
  expect(answers).toEqual(Array(6).fill("PENDING"));
  expect(queries()).toBe(before + 1);
});

it("throttles each account's check on its own", async () => {
  const first = await registerSteppedUp(app.client);
  const second = await registerSteppedUp(app.client);
  await startRealName(first.client, "王五", "110102199101010078");
  await startRealName(second.client, "赵六", "11010519491231002X");
  const before = queries();
  await status(first.client);
  await status(first.client);
  await status(second.client);
  expect(queries()).toBe(before + 2);
});

it("answers the stored status when the provider fails, and asks again after the interval", async () => {
  const user = await registerSteppedUp(app.client);
  const verifyUrl = await startRealName(user.client, "孙七", "360426199101010071");
  alipay.failNext("isp.unknow-error");
  expect(await status(user.client)).toBe("PENDING");
  await fetch(verifyUrl);
  alipay.completeCertification(certificationOf(verifyUrl), true);
  expect(await status(user.client)).toBe("PENDING");
  app.clock.advanceSeconds(INTERVAL);
  expect(await status(user.client)).toBe("PASSED");
});
