import type { Page } from "playwright-core";
import { uniqueEmail } from "../helpers/contacts";
import { openSection, screenshot, startBrowserApp, stepUpWithCode, type BrowserApp } from "./browser";

let browser: BrowserApp;
let page: Page;
/** The email the account binds, usable once the second test is done. */
let email: string;
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

    // No password and nothing to verify with: the password page says what to do first.
    await openSection(page, "设置密码");
    await page.getByRole("heading", { name: "设置密码" }).waitFor();
    await page.getByText(/请先绑定邮箱或手机号，待其生效后即可验证身份并设置密码/).waitFor();

    email = uniqueEmail("cool");
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

  it("sets a first password after a step-up with the email; the page then changes it like any other", async () => {
    await openSection(page, "设置密码");
    await page.getByRole("heading", { name: "设置密码" }).waitFor();
    expect(await page.getByLabel("当前密码").count()).toBe(0);
    await page.getByLabel("新密码", { exact: true }).fill("a-first-Good-passphrase-7");
    await page.getByLabel("确认新密码").fill("a-first-Good-passphrase-7");
    const seen = browser.app.smtp.mailsTo(email).length;
    await page.getByRole("button", { name: "保存" }).click();
    await stepUpWithCode(page, "邮箱验证码", () => browser.app.smtp.codeFor(email, seen));
    await page.getByText("密码已设置，现在可以用用户名和密码登录，其他设备已退出登录。").waitFor();
    await screenshot(page, "password-set");
    // The tab adopted the renewed token, and the page is now the usual change of password.
    await page.reload();
    await page.getByRole("heading", { name: "修改密码" }).waitFor();
    await page.getByLabel("当前密码").waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "修改密码", exact: true }).waitFor();
  });
});
