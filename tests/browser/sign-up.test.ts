import type { Page } from "playwright-core";
import { uniqueUsername } from "../helpers/accounts";
import { screenshot, signUp, startBrowserApp, type BrowserApp } from "./browser";

let browser: BrowserApp;
let page: Page;
beforeAll(async () => {
  browser = await startBrowserApp();
  page = await browser.newPage();
});
afterAll(() => browser?.stop());

describe("signing up and the basic information page", () => {
  it("shows the sign-in page in Chinese first", async () => {
    await page.goto("/");
    await page.getByRole("heading", { name: "登录" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await screenshot(page, "sign-in");
  });

  it("shows the API's refusal of a short password next to the field, in Chinese", async () => {
    await page.goto("/signup");
    await page.getByLabel("用户名", { exact: true }).fill(uniqueUsername("web"));
    await page.getByLabel("密码", { exact: true }).fill("short");
    await page.getByLabel("确认密码", { exact: true }).fill("short");
    await page.getByRole("button", { name: "注册" }).click();
    await page.getByRole("alert").getByText("部分内容填写有误，请按提示修改。").waitFor();
    expect(await page.getByLabel("密码", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "sign-up-error");
  });

  it("signs up and shows the user ID, username and sign-up time", async () => {
    const username = uniqueUsername("web");
    await signUp(page, username);
    for (const label of ["用户ID", "用户名", "注册时间"]) await page.getByRole("term").filter({ hasText: label }).first().waitFor();
    await page.getByRole("definition").filter({ hasText: username }).waitFor();
    await screenshot(page, "profile");
  });
});
