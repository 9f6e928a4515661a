import type { Page } from "playwright-core";
import { uniqueUsername } from "../helpers/accounts";
import { openSection, screenshot, signUp, startBrowserApp, type BrowserApp } from "./browser";

// Each test has a page (a browser context) of its own, so they pass in any order.
let browser: BrowserApp;
let page: Page;
beforeAll(async () => {
  browser = await startBrowserApp();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

describe("signing up, the basic information page and the language switch", () => {
  it("shows the sign-in page in Chinese first", async () => {
    await page.goto("/");
    await page.getByRole("heading", { name: "登录" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await screenshot(page, "sign-in");
  });

  /** Submits the sign-up form with a fresh username and `password`. */
  async function submitSignUp(password: string): Promise<void> {
    await page.goto("/signup");
    await page.getByLabel("用户名", { exact: true }).fill(uniqueUsername("web"));
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByLabel("确认密码", { exact: true }).fill(password);
    await page.getByRole("button", { name: "注册" }).click();
  }

  it("shows the API's refusal of a short password next to the field, in Chinese", async () => {
    await submitSignUp("short");
    await page.getByRole("alert").getByText("部分内容填写有误，请按提示修改。").waitFor();
    expect(await page.getByLabel("密码", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // Worded from the field error's code and params (TOO_SHORT, min 8), not the API's English message.
    await page.getByText("至少 8 个字符。").waitFor();
    expect(await page.getByText("password must be").count()).toBe(0);
    await screenshot(page, "sign-up-error");
  });

  it("words a password the API finds too common in Chinese under its field", async () => {
    await submitSignUp("qwertyuiop");
    await page.getByText("密码太常见，请换一个更难猜的密码。").waitFor();
    expect(await page.getByText("too common").count()).toBe(0);
  });

  it("signs up and shows the user ID, username and sign-up time", async () => {
    const username = uniqueUsername("web");
    await signUp(page, username);
    for (const label of ["用户ID", "用户名", "注册时间"]) await page.getByRole("term").filter({ hasText: label }).first().waitFor();
    await page.getByRole("definition").filter({ hasText: username }).waitFor();
    await screenshot(page, "profile");
  });

  it("fits a phone's width: the sections become a row above the page", async () => {
    await signUp(page, uniqueUsername("web"));
    await page.setViewportSize({ width: 390, height: 844 });
    await openSection(page, "API密钥");
    await page.getByRole("heading", { name: "创建密钥" }).waitFor();
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, "api-keys-phone");
  });

  it("switches to English, keeps it across a reload, and shows API errors in English", async () => {
    await signUp(page, uniqueUsername("web"));
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Basic information" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.title()).toBe("Account Center");
    await page.reload();
    await page.getByRole("heading", { name: "Basic information" }).waitFor();
    await page.getByRole("term").filter({ hasText: "Signed up" }).waitFor();
    await screenshot(page, "profile-en");

    await openSection(page, "Change password");
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill("a-much-Better-passphrase-42");
    await page.getByLabel("Confirm new password").fill("a-much-Better-passphrase-42");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("alert").getByText("The sign-in name or password is not correct.").waitFor();
    await screenshot(page, "password-error-en");

    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "修改密码" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
  });
});
