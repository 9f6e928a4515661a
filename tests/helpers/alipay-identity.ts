import { generateAlipayTestKeys, startFakeAlipay, type FakeAlipay } from "../fakes/alipay-gateway.fake";
import { startTestApp, type TestApp } from "./test-server";

const APP_ID = "2021000000000002";

/** A test server whose real-name checks go to a fake Alipay gateway (RSA2-signed both ways), with `env` on top. */
export async function startAlipayIdentityApp(env: Record<string, string> = {}): Promise<{ app: TestApp; alipay: FakeAlipay }> {
  const keys = generateAlipayTestKeys();
  const alipay = await startFakeAlipay(
    { appId: APP_ID, appPublicKey: keys.app.publicKeyPem, alipayPrivateKey: keys.alipay.privateKeyPem },
    { identityVerification: true },
  );
  const app = await startTestApp({
    ALIPAY_APP_ID: APP_ID,
    ALIPAY_PRIVATE_KEY: keys.app.privateKeyPem,
    ALIPAY_PUBLIC_KEY: keys.alipay.publicKeyPem,
    ALIPAY_GATEWAY: `${alipay.url}/gateway.do`,
    ALIPAY_AUTHORIZE_URL: alipay.authorizeUrlBase,
    PROVIDER_TIMEOUT_MS: "300",
    LOG_LEVEL: "silent",
    ...env,
  });
  return { app, alipay };
}

/** The certify_id a check's verifyUrl carries, to finish the check at the fake gateway. */
export function certificationOf(verifyUrl: string): string {
  return (JSON.parse(new URL(verifyUrl).searchParams.get("biz_content")!) as { certify_id: string }).certify_id;
}
