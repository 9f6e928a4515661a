import type { Page } from "playwright-core";
import { DEFAULT_PASSWORD, LOGIN, uniqueUsername, stepUpWithPassword as stepUpApiWithPassword } from "../helpers/accounts";
import { bindContact, CONFIRM_UNBINDING, START_UNBINDING, uniqueEmail } from "../helpers/contacts";
import type { GraphQLClient } from "../helpers/graphql-client";
import { codeNow, enrolTotp, stepUpWith } from "../helpers/second-factors";
import {
  openSection,
  screenshot,
  signedUpPage,
  signUp,
  startBrowserApp,
  stepUpWithCode,
  stepUpWithPassword,
  type BrowserApp,
} from "./browser";

// Every test has an account of its own (signed up in its page), so they pass in any order; what a
// test needs beforehand is arranged through the API on another session of that account.
let browser: BrowserApp;

beforeAll(async () => {
  browser = await startBrowserApp();
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

/** Reloads the page after the API arranged the account, as the account center would show it now. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole("heading", { name: "基本信息" }).waitFor();
}

/** Binds an email through the API session (stepped up with the password first). */
async function withEmail(api: GraphQLClient): Promise<string> {
  const email = uniqueEmail("web");
  await stepUpApiWithPassword(api);
  await bindContact(browser.app, api, "EMAIL", email);
  return email;
}

/** Steps the page up with an email code sent to `email`. */
function stepUpWithEmail(page: Page, email: string): Promise<void> {
  const seen = browser.app.smtp.mailsTo(email).length;
  return stepUpWithCode(page, "邮箱验证码", () => browser.app.smtp.codeFor(email, seen));
}

/** Turns two-step on in the page (after a step-up with the authenticator) and waits for the switch to say so. */
async function turnTwoStepOn(page: Page, secret: string): Promise<void> {
  await openSection(page, "二次验证");
  await page.getByRole("switch", { name: "登录时要求二次验证" }).click();
  await stepUpWithCode(page, "动态令牌", () => codeNow(browser.app, secret));
  await page.getByText("二次验证已开启。").waitFor();
}

describe("email, authenticator and two-step sign-in in the browser", () => {
  it("binds an email with the code the SMTP server received", async () => {
    const { page } = await signedUpPage(browser);
    const email = uniqueEmail("web");
    await openSection(page, "绑定邮箱&手机号");
    const card = page.getByRole("region", { name: "邮箱", exact: true });
    await card.getByLabel("新邮箱地址").fill(email);
    await card.getByRole("button", { name: "发送验证码" }).click();
    // A first address is a new way in: the account has nothing but its password to prove itself with.
    await stepUpWithPassword(page, "step-up-password");
    await card.getByText(/验证码已发送至 .+@example\.com/).waitFor();
    await screenshot(page, "contacts-code-sent");
    await card.getByLabel("验证码").fill(await browser.app.smtp.codeFor(email));
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByText("邮箱已绑定。").waitFor();
    await card.getByText("已绑定", { exact: true }).waitFor();
    await screenshot(page, "contacts-bound");
  });

  it("asks for a step-up before enrolling the authenticator, then shows the QR and the recovery codes", async () => {
    const { page, api } = await signedUpPage(browser);
    const email = await withEmail(api);
    await reload(page);
    await openSection(page, "动态令牌");
    await screenshot(page, "totp");
    const seen = browser.app.smtp.mailsTo(email).length;
    await page.getByRole("button", { name: "设置动态令牌" }).click();
    const dialog = page.getByRole("dialog", { name: "验证身份" });
    await dialog.getByRole("button", { name: "邮箱验证码" }).click();
    await dialog.getByText(/验证码已发送至/).waitFor();
    await screenshot(page, "step-up");
    await dialog.getByLabel("验证码").fill(await browser.app.smtp.codeFor(email, seen));
    await dialog.getByRole("button", { name: "验证并继续" }).click();
    await dialog.waitFor({ state: "detached" });

    await page.getByRole("img", { name: "动态令牌" }).waitFor();
    const secret = (await page.getByLabel("密钥", { exact: true }).textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, "totp-qr");
    await page.getByLabel("应用中显示的 6 位动态码").fill(codeNow(browser.app, secret));
    await page.getByRole("button", { name: "确认启用" }).click();
    const codes = page.getByRole("list", { name: "恢复码" }).getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.allTextContents()).toHaveLength(10);
    await screenshot(page, "totp-recovery-codes");
    await page.getByRole("button", { name: "我已保存恢复码" }).click();
    await page.getByText("动态令牌已启用，剩余恢复码 10 个。").waitFor();
  });

  it("turns two-step verification on, and signs in again through the two-step prompt with an authenticator code", async () => {
    const { page, api } = await signedUpPage(browser);
    const email = await withEmail(api);
    const { secret } = await enrolTotp(browser.app, api);
    await reload(page);
    await turnTwoStepOn(page, secret);
    await page.getByText("可用的验证方式：邮箱验证码、动态令牌、恢复码").waitFor();
    await screenshot(page, "two-step");

    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByLabel("用户名 / 邮箱 / 手机号").fill(email);
    await page.getByLabel("密码", { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByRole("heading", { name: "二次验证" }).waitFor();
    await page.getByRole("button", { name: "动态令牌" }).click();
    await screenshot(page, "sign-in-two-step");
    // The step-up that turned two-step on used this 30 s step's code; each step is accepted once.
    browser.app.clock.advanceSeconds(30);
    await page.getByRole("textbox", { name: "动态令牌" }).fill("000000");
    await page.getByRole("button", { name: "验证并登录" }).click();
    await page.getByRole("alert").getByText("验证码不正确，或已被使用。").waitFor();
    await screenshot(page, "sign-in-two-step-wrong-code");
    await page.getByRole("textbox", { name: "动态令牌" }).fill(codeNow(browser.app, secret));
    await page.getByRole("button", { name: "验证并登录" }).click();
    await page.getByRole("heading", { name: "基本信息" }).waitFor();
  });

  it("lists the sessions and signs another one out", async () => {
    const { page } = await signedUpPage(browser);
    await openSection(page, "登录设备");
    await page.getByText("当前设备").waitFor();
    const revoke = page.getByRole("button", { name: "退出此设备" });
    expect(await revoke.count()).toBe(1);
    await screenshot(page, "sessions");
    await revoke.click();
    await page.getByText("该设备已退出登录。").waitFor();
    await revoke.waitFor({ state: "detached" });
  });

  it("changes the password after a step-up with a recovery code", async () => {
    const { page, api } = await signedUpPage(browser);
    await stepUpApiWithPassword(api);
    const { recoveryCodes } = await enrolTotp(browser.app, api);
    await reload(page);
    await openSection(page, "修改密码");
    await page.getByLabel("当前密码").fill(DEFAULT_PASSWORD);
    await page.getByLabel("新密码", { exact: true }).fill("a-much-Better-passphrase-42");
    await page.getByLabel("确认新密码").fill("a-much-Better-passphrase-42");
    await page.getByRole("button", { name: "保存" }).click();
    const dialog = page.getByRole("dialog", { name: "验证身份" });
    await dialog.getByRole("button", { name: "恢复码" }).click();
    await dialog.getByText("请输入动态令牌或恢复码。").waitFor();
    await dialog.getByLabel("验证码").fill(recoveryCodes[0]);
    await dialog.getByRole("button", { name: "验证并继续" }).click();
    await page.getByText("密码已修改，其他设备已退出登录。").waitFor();
    await screenshot(page, "password-changed");
    // The change gave this tab's session a new token, which the tab now sends: still signed in after a reload.
    await page.reload();
    await page.getByRole("heading", { name: "修改密码" }).waitFor();
  });

  it("unbinds the email with a code sent to it, after a step-up with another", async () => {
    const { page, api } = await signedUpPage(browser);
    const email = await withEmail(api);
    await reload(page);
    await openSection(page, "绑定邮箱&手机号");
    const card = page.getByRole("region", { name: "邮箱", exact: true });
    const seen = browser.app.smtp.mailsTo(email).length;
    await card.getByRole("button", { name: "解绑" }).click();
    await stepUpWithEmail(page, email);
    await card.getByText(/验证码已发送至当前绑定的邮箱 .+@example\.com/).waitFor();
    // The step-up's code was the first mail since; the unbinding's is the second.
    await card.getByLabel("验证码").fill(await browser.app.smtp.codeFor(email, seen + 1));
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByText("邮箱已解绑。").waitFor();
    await card.getByText("未绑定", { exact: true }).waitFor();
    await screenshot(page, "contacts-unbound");
  });

  it("shows the security log with what happened, in words", async () => {
    const { page, username, api } = await signedUpPage(browser);
    const email = await withEmail(api);
    const { secret } = await enrolTotp(browser.app, api);
    const seen = browser.app.smtp.mailsTo(email).length;
    const { startContactUnbinding } = await api.ok(START_UNBINDING, { kind: "EMAIL" });
    await api.ok(CONFIRM_UNBINDING, { id: startContactUnbinding.challenge.id, code: await browser.app.smtp.codeFor(email, seen) });
    await reload(page);
    await turnTwoStepOn(page, secret);
    // A sign-in elsewhere now waits for its second factor.
    await browser.app.client.ok(LOGIN, { input: { identifier: username, password: DEFAULT_PASSWORD } });
    await openSection(page, "修改密码");
    await page.getByLabel("当前密码").fill(DEFAULT_PASSWORD);
    await page.getByLabel("新密码", { exact: true }).fill("a-much-Better-passphrase-42");
    await page.getByLabel("确认新密码").fill("a-much-Better-passphrase-42");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("密码已修改，其他设备已退出登录。").waitFor();

    await openSection(page, "安全日志");
    for (const event of [
      "注册账号",
      "绑定邮箱/手机号",
      "完成身份验证",
      "启用动态令牌",
      "开启二次验证",
      "登录待二次验证",
      "修改密码",
      "解绑邮箱/手机号",
    ]) {
      await page.getByRole("cell", { name: event, exact: true }).first().waitFor();
    }
    await screenshot(page, "security-log");
  });

  it("makes new recovery codes in place of the old ones", async () => {
    const { page, api } = await signedUpPage(browser);
    await stepUpApiWithPassword(api);
    const { secret, recoveryCodes } = await enrolTotp(browser.app, api);
    await stepUpWith(api, "RECOVERY_CODE", recoveryCodes[0]);
    await reload(page);
    await openSection(page, "动态令牌");
    await page.getByText("动态令牌已启用，剩余恢复码 9 个。").waitFor();
    await page.getByRole("button", { name: "重新生成恢复码" }).click();
    await stepUpWithCode(page, "动态令牌", () => codeNow(browser.app, secret));
    const codes = page.getByRole("list", { name: "恢复码" }).getByRole("listitem");
    await codes.first().waitFor();
    const fresh = await codes.allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    await page.getByRole("button", { name: "我已保存恢复码" }).click();
    await page.getByText("动态令牌已启用，剩余恢复码 10 个。").waitFor();
  });

  it("turns the authenticator off with a current code, and two-step with it, the app being its last factor", async () => {
    const { page, api } = await signedUpPage(browser);
    await stepUpApiWithPassword(api);
    const { secret } = await enrolTotp(browser.app, api);
    await reload(page);
    await turnTwoStepOn(page, secret);
    await openSection(page, "动态令牌");
    // The step-up that turned two-step on used this 30 s step's code.
    browser.app.clock.advanceSeconds(30);
    await page.getByLabel("当前动态码").fill(codeNow(browser.app, secret));
    await page.getByRole("button", { name: "停用动态令牌" }).click();
    await page.getByText("动态令牌已停用。账号已没有其他验证方式，二次验证已随之关闭。").waitFor();
    await page.getByText("尚未启用动态令牌。").waitFor();
    await screenshot(page, "totp-disabled");
    await openSection(page, "二次验证");
    await page.getByText("二次验证已关闭。").waitFor();
    expect(await page.getByRole("switch", { name: "登录时要求二次验证" }).isChecked()).toBe(false);
  });
});

describe("unbinding the email that was two-step's only factor", () => {
  it("says that two-step verification went off with it", async () => {
    const own = await browser.newPage();
    const address = uniqueEmail("last");
    await signUp(own, uniqueUsername("web"));
    await openSection(own, "绑定邮箱&手机号");
    const card = own.getByRole("region", { name: "邮箱", exact: true });
    await card.getByLabel("新邮箱地址").fill(address);
    await card.getByRole("button", { name: "发送验证码" }).click();
    await stepUpWithPassword(own);
    await card.getByLabel("验证码").fill(await browser.app.smtp.codeFor(address));
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByText("邮箱已绑定。").waitFor();
    await openSection(own, "二次验证");
    await own.getByRole("switch", { name: "登录时要求二次验证" }).click();
    await own.getByText("二次验证已开启。").waitFor();

    await openSection(own, "绑定邮箱&手机号");
    browser.app.clock.advanceSeconds(601); // the password step-up of the binding has lapsed
    let seen = browser.app.smtp.mailsTo(address).length;
    await card.getByRole("button", { name: "解绑" }).click();
    const dialog = own.getByRole("dialog", { name: "验证身份" });
    await dialog.getByRole("button", { name: "邮箱验证码" }).click();
    await dialog.getByLabel("验证码").fill(await browser.app.smtp.codeFor(address, seen));
    seen = browser.app.smtp.mailsTo(address).length;
    await dialog.getByRole("button", { name: "验证并继续" }).click();
    await card.getByText(/验证码已发送至当前绑定的邮箱/).waitFor();
    await card.getByLabel("验证码").fill(await browser.app.smtp.codeFor(address, seen));
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByText("邮箱已解绑。账号已没有其他验证方式，二次验证已随之关闭。").waitFor();
    await screenshot(own, "contacts-unbound-two-step-off");
    await openSection(own, "二次验证");
    await own.getByText("二次验证已关闭。").waitFor();
  });
});
