import type { Page } from "playwright-core";
import { DEFAULT_PASSWORD, LOGIN, ME, registerSteppedUp, type RegisteredUser } from "../helpers/accounts";
import { bindContact, uniqueEmail } from "../helpers/contacts";
import { screenshot, startBrowserApp, type BrowserApp } from "./browser";

const NEW_PASSWORD = "a-much-Better-passphrase-42";
const SENT = "如果该邮箱或手机号绑定了账号，验证码已发送至该地址。";

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

async function userWithEmail(): Promise<RegisteredUser & { email: string }> {
  const user = await registerSteppedUp(browser.app.client);
  const email = uniqueEmail("reset");
  await bindContact(browser.app, user.client, "EMAIL", email);
  return { ...user, email };
}

/** From the sign-in page's link to the form with the code field, for `identifier`. */
async function requestCode(identifier: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await page.getByRole("heading", { name: "重置密码" }).waitFor();
  await page.getByLabel("绑定的邮箱或手机号").fill(identifier);
  await page.getByRole("button", { name: "发送验证码" }).click();
  await page.getByText(SENT).waitFor();
}

async function fillNewPassword(code: string): Promise<void> {
  await page.getByLabel("验证码").fill(code);
  await page.getByLabel("新密码", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("确认新密码").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "重置密码" }).click();
}

describe("resetting a forgotten password in the browser", () => {
  it("sends a code to the bound email, sets the new password, signs every session out, and the new one signs in", async () => {
    const user = await userWithEmail();
    const seen = browser.app.smtp.mailsTo(user.email).length;
    await requestCode(user.email);
    await screenshot(page, "password-reset-code-sent");
    await fillNewPassword(await browser.app.smtp.codeFor(user.email, seen));
    await page.getByText("密码已重置，所有设备已退出登录。请用新密码登录。").waitFor();
    await screenshot(page, "password-reset-done");
    expect((await user.client.ok(ME)).me).toBeNull();

    await page.getByRole("link", { name: "登录", exact: true }).click();
    await page.getByLabel("用户名 / 邮箱 / 手机号").fill(user.username);
    await page.getByLabel("密码", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByRole("heading", { name: "基本信息" }).waitFor();
  });

  it("shows a wrong code next to its field and keeps the old password", async () => {
    const user = await userWithEmail();
    const seen = browser.app.smtp.mailsTo(user.email).length;
    await requestCode(user.email);
    const code = await browser.app.smtp.codeFor(user.email, seen);
    await fillNewPassword(code === "000000" ? "111111" : "000000");
    await page.getByText("验证码不正确，或已被使用。").waitFor();
    await screenshot(page, "password-reset-wrong-code");
    const login = await browser.app.client.ok(LOGIN, { input: { identifier: user.username, password: DEFAULT_PASSWORD } });
    expect(login.login.result.token).toMatch(/^ses_/);
  });

  it("answers an address no account has bound the same way, and the password form with the confirmation that differs", async () => {
    await requestCode(uniqueEmail("nobody"));
    await page.getByLabel("验证码").fill("123456");
    await page.getByLabel("新密码", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("确认新密码").fill(`${NEW_PASSWORD}!`);
    await page.getByRole("button", { name: "重置密码" }).click();
    await page.getByText("两次输入的密码不一致。").waitFor();
  });

  it("takes a corrected address after a code went to a mistyped one, without a reload", async () => {
    const user = await userWithEmail();
    const seen = browser.app.smtp.mailsTo(user.email).length;
    await requestCode(`x${user.email}`);
    await page.getByRole("button", { name: "换一个邮箱或手机号" }).click();
    await expect(page.getByText(SENT).isVisible()).resolves.toBe(false);
    await page.getByLabel("绑定的邮箱或手机号").fill(user.email);
    await page.getByRole("button", { name: "发送验证码" }).click();
    await page.getByText(SENT).waitFor();
    await fillNewPassword(await browser.app.smtp.codeFor(user.email, seen));
    await page.getByText("密码已重置，所有设备已退出登录。请用新密码登录。").waitFor();
    expect((await user.client.ok(ME)).me).toBeNull();
  });
});
