import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { DEFAULT_PASSWORD, LOGIN, uniqueUsername } from "../helpers/accounts";
import type { GraphQLClient } from "../helpers/graphql-client";
import { startTestApp, type TestApp } from "../helpers/test-server";

const WEB_APP_DIR = path.resolve(__dirname, "../../web/dist");
const SCREENSHOTS = path.resolve(__dirname, "../../test-artifacts/browser");

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH to use another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserApp {
  readonly app: TestApp;
  /** Uncaught exceptions and console errors of every page so far (a CSP refusal is one): expected to stay empty. */
  readonly problems: string[];
  /** A fresh browser context (its own sessionStorage and localStorage) on the server's origin. */
  newPage(): Promise<Page>;
  stop(): Promise<void>;
}

/** The real server serving the built account center (with `env` on top of the test settings), and a headless Chromium to use it. */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
  if (!fs.existsSync(path.join(WEB_APP_DIR, "index.html"))) throw new Error("web/dist is not built: run npm run build:web");
  const app = await startTestApp({ WEB_APP_DIR, ...env });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    await app.stop();
    throw error;
  }
  const origin = new URL(app.url).origin;
  const problems: string[] = [];
  return {
    app,
    problems,
    async newPage() {
      const context = await browser.newContext({ baseURL: origin, viewport: { width: 1200, height: 800 }, locale: "zh-CN" });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
      return page;
    },
    async stop() {
      await browser.close();
      await app.stop();
    },
  };
}

/** Saves the whole page as test-artifacts/browser/<name>.png, to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

/** Signs up through the form and waits for the console's first section. */
export async function signUp(page: Page, username: string): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("用户名", { exact: true }).fill(username);
  await page.getByLabel("密码", { exact: true }).fill(DEFAULT_PASSWORD);
  await page.getByLabel("确认密码", { exact: true }).fill(DEFAULT_PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await page.getByRole("heading", { name: "基本信息" }).waitFor();
}

/**
 * Answers the step-up dialog with the password, as an account with no second factor does (the dialog
 * offers 登录密码 only then), and waits for it to close.
 */
export async function stepUpWithPassword(page: Page, shot?: string): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "验证身份" });
  await dialog.getByRole("button", { name: "登录密码" }).click();
  await dialog.getByText("请输入当前登录密码").waitFor();
  await dialog.getByLabel("当前密码").fill(DEFAULT_PASSWORD);
  if (shot) await screenshot(page, shot);
  await dialog.getByRole("button", { name: "验证并继续" }).click();
  await dialog.waitFor({ state: "detached" });
}

/**
 * Answers the step-up dialog with `method` (its button's label) and the code `code` gives once the
 * method is picked (an email or SMS goes out then), and waits for the dialog to close.
 */
export async function stepUpWithCode(page: Page, method: string, code: () => string | Promise<string>): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "验证身份" });
  await dialog.getByRole("button", { name: method }).click();
  await dialog.getByLabel("验证码").fill(await code());
  await dialog.getByRole("button", { name: "验证并继续" }).click();
  await dialog.waitFor({ state: "detached" });
}

/**
 * A new page signed up as an account of its own, so a test depends on no other, and an API session of
 * that account (another device, to the page) to arrange what the test needs.
 */
export async function signedUpPage(browser: BrowserApp): Promise<{ page: Page; username: string; api: GraphQLClient }> {
  const page = await browser.newPage();
  const username = uniqueUsername("web");
  await signUp(page, username);
  const { login } = await browser.app.client.ok(LOGIN, { input: { identifier: username, password: DEFAULT_PASSWORD } });
  return { page, username, api: browser.app.client.as(login.result.token) };
}

/** Clicks a section in the console's left navigation. */
export function openSection(page: Page, name: string): Promise<void> {
  return page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
}
