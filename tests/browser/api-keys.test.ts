import type { Page } from "playwright-core";
import { uniqueUsername } from "../helpers/accounts";
import { openSection, screenshot, signUp, startBrowserApp, stepUpWithPassword, type BrowserApp } from "./browser";

const ME = `{ me { username } }`;

let browser: BrowserApp;
let page: Page;
const username = uniqueUsername("web");
beforeAll(async () => {
  // Not the default 20: the page shows the server's limit, not a number of its own.
  browser = await startBrowserApp({ API_KEYS_MAX_PER_ACCOUNT: "5" });
  page = await browser.newPage();
  await signUp(page, username);
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

describe("API keys in the browser", () => {
  it("creates a key, shows its secret once with a copy button, and the secret works", async () => {
    await openSection(page, "API密钥");
    await page.getByText("还没有 API 密钥。").waitFor();
    await page.getByText(/不能进行任何安全操作。最多 5 个。$/).waitFor();
    await page.getByLabel("名称").fill("部署脚本");
    await page.getByLabel("写入 ACCOUNT_WRITE").check();
    await page.getByRole("button", { name: "创建密钥" }).click();
    await stepUpWithPassword(page);
    await page.getByText("请立即复制并妥善保存此密钥，它只显示这一次。").waitFor();
    const secret = (await page.getByLabel("密钥", { exact: true }).textContent()) ?? "";
    expect(secret).toMatch(/^ak_/);
    await page.getByRole("button", { name: "复制" }).click();
    await page.getByRole("button", { name: "已复制" }).waitFor();
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(secret);
    await screenshot(page, "api-key-created");
    expect((await browser.app.client.with({ authorization: `Bearer ${secret}` }).ok(ME)).me.username).toBe(username);

    await page.getByRole("button", { name: "我已保存" }).click();
    expect(await page.getByText(secret).count()).toBe(0);
    const row = page.getByRole("row", { name: /部署脚本/ });
    await row.getByText(`${secret.slice(0, 11)}…`).waitFor();
    await row.getByText("读取、写入").waitFor();
    await screenshot(page, "api-keys");

    await row.getByRole("button", { name: "撤销" }).click();
    await row.getByText("确认撤销「部署脚本」？").waitFor();
    await row.getByRole("button", { name: "确认" }).click();
    await page.getByText("密钥「部署脚本」已撤销。").waitFor();
    await page.getByText("还没有 API 密钥。").waitFor();
    await screenshot(page, "api-key-revoked");
    // `me` is null for a request without a valid session or key.
    expect((await browser.app.client.with({ authorization: `Bearer ${secret}` }).ok(ME)).me).toBeNull();
  });
});
