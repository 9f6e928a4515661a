import { registerSteppedUp } from "./helpers/accounts";
import { certificationOf, startAlipayIdentityApp } from "./helpers/alipay-identity";
import type { TestApp } from "./helpers/test-server";
import type { FakeAlipay } from "./fakes/alipay-gateway.fake";

const START = `mutation($input: StartRealNameVerificationInput!) { startRealNameVerification(input: $input) { realName { status verifyUrl qrCodeDataUrl maskedName } } }`;
const REFRESH = `mutation { refreshRealNameVerification { realName { status failureReason failureCode verifiedAt } } }`;

let app: TestApp;
let alipay: FakeAlipay;
beforeAll(async () => {
  // A short timeout, so moving the server's clock past it keeps its signed timestamps within the gateway's window.
  ({ app, alipay } = await startAlipayIdentityApp({ REAL_NAME_PENDING_TIMEOUT_SECONDS: "60" }));
});
afterAll(async () => {
  await app.stop();
  await alipay.stop();
});

it("walks a check from initialize to passed through the RSA2-signed gateway", async () => {
  const user = await registerSteppedUp(app.client);
  const {
    startRealNameVerification: { realName: started },
  } = await user.client.ok(START, {
    input: { legalName: "张三", idNumber: "11010519491231002X", returnUrl: `${new URL(app.url).origin}/real-name/done` },
  });
  expect(started).toMatchObject({ status: "PENDING", maskedName: "张*", qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/) });
  expect(started.verifyUrl.startsWith(`${alipay.url}/gateway.do?`)).toBe(true);
  const certifyId = certificationOf(started.verifyUrl);
  expect(alipay.certifications.get(certifyId)).toMatchObject({
    certName: "张三",
    certNo: "11010519491231002X",
    returnUrl: `${new URL(app.url).origin}/real-name/done`,
  });

  // The person scans the QR code: the phone opens the signed page, then finishes the face check.
  expect((await fetch(started.verifyUrl)).status).toBe(200);
  expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PENDING");
  alipay.completeCertification(certifyId, true);
  const {
    refreshRealNameVerification: { realName: passed },
  } = await user.client.ok(REFRESH);
  expect(passed.status).toBe("PASSED");
  expect((await user.client.ok(`{ me { capabilities { canPurchase } } }`)).me.capabilities.canPurchase).toBe(true);
});

it("keeps an unfinished or failed Alipay check PENDING until the timeout, as Alipay cannot tell them apart", async () => {
  const user = await registerSteppedUp(app.client);
  const {
    startRealNameVerification: { realName: started },
  } = await user.client.ok(START, {
    input: { legalName: "李四", idNumber: "360426199101010071" },
  });
  await fetch(started.verifyUrl);
  alipay.completeCertification(certificationOf(started.verifyUrl), false);
  expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName.status).toBe("PENDING");
  app.clock.advanceSeconds(61);
  expect((await user.client.ok(REFRESH)).refreshRealNameVerification.realName).toMatchObject({
    status: "FAILED",
    failureCode: "TIMED_OUT",
    failureReason: expect.stringContaining("not completed in time"),
  });
});

it("answers PROVIDER_UNAVAILABLE when the gateway is down, and starts nothing", async () => {
  const user = await registerSteppedUp(app.client);
  alipay.failNext("isp.unknow-error");
  expect((await user.client.fails(START, { input: { legalName: "王五", idNumber: "110102199101010078" } })).extensions?.code).toBe(
    "PROVIDER_UNAVAILABLE",
  );
  expect((await user.client.ok(`{ me { realName { status } } }`)).me.realName.status).toBe("NOT_STARTED");
});
