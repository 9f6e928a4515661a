import type { Page } from "playwright-core";
import { uniqueEmail } from "../helpers/contacts";
import { openSection, screenshot, startBrowserApp, type BrowserApp } from "./browser";

let browser: BrowserApp;
let page: Page;
beforeAll(async () => {
  browser = await startBrowserApp({ PROVIDER_SIGN_UP: "true" });
  page = await browser.newPage();
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

describe("an account made by signing in with WeChat", () => {
  it("makes an API key without a step-up and shows it cooling, with the time it starts to work", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "微信登录" }).click();
    await page.getByRole("heading", { name: "基本信息" }).waitFor();

    await openSection(page, "API密钥");
    await page.getByLabel("名称").fill("部署脚本");
    await page.getByRole("button", { name: "创建密钥" }).click();
    await page.getByText("请立即复制并妥善保存此密钥，它只显示这一次。").waitFor();
    const secret = (await page.getByLabel("密钥", { exact: true }).textContent()) ?? "";
    expect((await browser.app.client.as(secret).ok(`{ me { id } }`)).me).toBeNull();
    const row = page.getByRole("row", { name: /部署脚本/ });
    await row.getByText("等待生效", { exact: true }).waitFor();
    await row.getByText(/此密钥在 .+ 之前不能使用/).waitFor();
    await screenshot(page, "api-key-cooling");
  });

  it("binds a first email without a step-up and shows it cooling, with the time it starts to count", async () => {
    await page.goto("/"); // still signed in from the test before
    await page.getByRole("heading", { name: "基本信息" }).waitFor();

    const email = uniqueEmail("cool");
    await openSection(page, "绑定邮箱&手机号");
    const card = page.getByRole("region", { name: "邮箱", exact: true });
    await card.getByLabel("新邮箱地址").fill(email);
    await card.getByRole("button", { name: "发送验证码" }).click();
    await card.getByLabel("验证码").fill(await browser.app.smtp.codeFor(email));
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByText("邮箱已绑定。").waitFor();
    await card.getByText("等待生效", { exact: true }).waitFor();
    await card.getByText(/此邮箱在 .+ 之前不能用于验证身份、二次验证或找回密码/).waitFor();
    await screenshot(page, "contacts-cooling");

    browser.app.clock.advanceSeconds(86400 + 1);
    await page.reload();
    await card.getByText("已绑定", { exact: true }).waitFor();
    expect(await card.getByText("等待生效", { exact: true }).count()).toBe(0);
  });
});
