import type { Page } from "playwright-core";
import { uniqueUsername } from "../helpers/accounts";
import { openSection, screenshot, signUp, startBrowserApp, stepUpWithPassword, type BrowserApp } from "./browser";

// Each test signs up an account of its own in a page of its own, so they pass in any order.
let browser: BrowserApp;
let page: Page;
beforeAll(async () => {
  browser = await startBrowserApp();
});
beforeEach(async () => {
  page = await browser.newPage();
  const username = uniqueUsername("web");
  // The dev stand-ins' consent page agrees as the person named in ?user= (else "alice"): one per account.
  await page.route("**/dev/oauth/*/authorize?*", (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("user", username);
    return route.continue({ url: url.toString() });
  });
  await signUp(page, username);
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

describe("binding providers and real-name verification through the dev stand-ins", () => {
  /** Binds WeChat from its card: to the provider's page, back to /oauth/callback, and back to the card. */
  async function bindWechat(shots = false): Promise<void> {
    await openSection(page, "绑定微信&QQ");
    const wechat = page.getByRole("region", { name: "微信" });
    await wechat.getByText("未绑定").waitFor();
    if (shots) await screenshot(page, "social");
    await wechat.getByRole("button", { name: "绑定" }).click();
    await stepUpWithPassword(page);
    await page.waitForURL("**/oauth/callback");
    await page.getByText("微信已绑定。").waitFor();
    expect(new URL(page.url()).search).toBe("");
    if (shots) await screenshot(page, "oauth-callback");
    await page.getByRole("link", { name: "返回账号设置" }).click();
    await wechat.getByText("已绑定").waitFor();
    await wechat.getByRole("button", { name: "解绑" }).waitFor();
  }

  it("binds WeChat: to the provider's page, back to /oauth/callback, done", async () => {
    await bindWechat(true);
    await screenshot(page, "social-bound");
  });

  it("signs in with the bound WeChat account from the sign-in page", async () => {
    await bindWechat();
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByRole("button", { name: "微信登录" }).click();
    await page.getByRole("heading", { name: "基本信息" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });

  it("refuses a callback whose state this tab did not start", async () => {
    await page.goto("/oauth/callback?code=stolen&state=not-ours");
    await page.getByRole("alert").getByText("授权状态不匹配或已过期").waitFor();
    await screenshot(page, "oauth-callback-mismatch");
  });

  it("shows Alipay's QR code, and the page it holds binds Alipay", async () => {
    await openSection(page, "绑定支付宝");
    const alipay = page.getByRole("region", { name: "支付宝" });
    await alipay.getByRole("button", { name: "绑定" }).click();
    await stepUpWithPassword(page);
    await alipay.getByRole("img", { name: "支付宝" }).waitFor();
    await screenshot(page, "alipay-qr");
    await alipay.getByRole("link", { name: "在此浏览器中打开授权页" }).click();
    await page.getByText("支付宝已绑定。").waitFor();
    await page.getByRole("link", { name: "返回账号设置" }).click();
    await alipay.getByText("已绑定").waitFor();
    await openSection(page, "基本信息");
    await page.getByText("可提现（已绑定支付宝）").waitFor();
  });

  /** Fills in and starts a check; the first one in a session asks for a step-up. */
  async function startRealName(stepUp: boolean) {
    await page.getByLabel("真实姓名").fill("张三");
    await page.getByLabel("身份证号").fill("11010519491231002X");
    await page.getByRole("button", { name: "开始认证" }).click();
    if (stepUp) await stepUpWithPassword(page);
    await page.getByText("认证中").waitFor();
    await page.getByRole("img", { name: "实名认证" }).waitFor();
  }

  it("shows a failed real-name check with the provider's reason, and the form to try again", async () => {
    await openSection(page, "实名认证");
    await page.getByText("未认证").waitFor();
    await screenshot(page, "real-name");
    await startRealName(true);
    const verifyUrl = await page.getByRole("link", { name: "打开认证页面" }).getAttribute("href");
    const provider = await page.context().newPage();
    // The stand-in fails the check and sends this other tab back to the returnUrl, as Alipay does.
    await provider.goto(`${verifyUrl}?result=fail`);
    await provider.waitForURL(/\/real-name$/);
    await provider.close();
    await page.getByRole("button", { name: "我已完成，查看结果" }).click();
    await page.getByText("未通过", { exact: true }).waitFor();
    await page.getByRole("alert").getByText("未通过原因：人脸核验与身份证照片不一致，请在光线充足处重试。").waitFor();
    await screenshot(page, "real-name-failed");
    await startRealName(false);
  });

  it("starts real-name verification, shows the provider's page as a QR code, and reads the result on the way back", async () => {
    await openSection(page, "实名认证");
    await startRealName(true);
    await screenshot(page, "real-name-pending");

    // Done in this tab: the provider's page returns to /real-name, which asks for the result by itself.
    const verifyUrl = await page.getByRole("link", { name: "打开认证页面" }).getAttribute("href");
    await page.goto(verifyUrl!);
    await page.waitForURL(/\/real-name$/);
    await page.getByText("已通过").waitFor();
    await page.getByText("张*").waitFor();
    await screenshot(page, "real-name-passed");
    await openSection(page, "基本信息");
    await page.getByText("可购买（已实名）").waitFor();
  });
});
