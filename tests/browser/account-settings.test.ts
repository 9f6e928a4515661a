import type { Page } from "playwright-core";
import { DEFAULT_PASSWORD, LOGIN, ME, signInAgain, uniqueUsername } from "../helpers/accounts";
import { openSection, screenshot, signUp, startBrowserApp, stepUpWithPassword, type BrowserApp } from "./browser";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const STEP_UP_HINT = "为了账号安全，进行此处的更改前需要先验证身份。";

let browser: BrowserApp;
let page: Page;
const username = uniqueUsername("web");
beforeAll(async () => {
  // The server asks the identity provider about a pending check at most once a second here.
  browser = await startBrowserApp({ REAL_NAME_POLL_INTERVAL_SECONDS: "1", RATE_LIMIT_LOGIN_IDENTIFIER: "100/900" });
  page = await browser.newPage();
  await signUp(page, username);
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

async function fitsAPhone(section: string, heading: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await openSection(page, section);
  await page.getByRole("heading", { name: heading }).waitFor();
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
  await screenshot(page, `${section}-phone`);
  await page.setViewportSize({ width: 1200, height: 800 });
}

describe("登录设备", () => {
  it("names each device from its user agent, and signs out every other device at once", async () => {
    const phone = await signInAgain(browser.app.client, username, IPHONE);
    await openSection(page, "登录设备");
    const phoneRow = page.getByRole("row", { name: /Mobile Safari 17 · iOS 17\.4 · 手机/ });
    await phoneRow.waitFor();
    await page
      .getByRole("row", { name: /当前设备/ })
      .getByText("· 电脑")
      .waitFor();
    await screenshot(page, "sessions-devices");

    await page.getByRole("button", { name: "退出其他所有设备" }).click();
    await page.getByText("已退出其他 1 台设备。").waitFor();
    await phoneRow.waitFor({ state: "detached" });
    expect(await page.getByRole("button", { name: "退出其他所有设备" }).count()).toBe(0);
    expect((await phone.ok(ME)).me).toBeNull();
    await screenshot(page, "sessions-signed-out-others");
    // This session got a new token, which the tab now sends: still signed in after a reload.
    await page.reload();
    await page.getByRole("row", { name: /当前设备/ }).waitFor();
  });

  it("fits a phone's width", () => fitsAPhone("登录设备", "登录设备"));
});

describe("安全日志", () => {
  it("pages through the log, filters it by type and by date", async () => {
    for (let i = 0; i < 20; i++) {
      await browser.app.client.request(LOGIN, { input: { identifier: username, password: `${DEFAULT_PASSWORD}-wrong` } });
    }
    await openSection(page, "安全日志");
    // ACCOUNT_CREATED, 2 × SIGN_IN, OTHER_SESSIONS_SIGNED_OUT, 20 × SIGN_IN_FAILED
    await page.getByText("共 24 条记录").waitFor();
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(20);
    await page.getByRole("button", { name: "加载更多" }).click();
    await page.getByRole("cell", { name: "注册账号" }).waitFor();
    expect(await rows.count()).toBe(24);
    expect(await page.getByRole("button", { name: "加载更多" }).count()).toBe(0);

    await page.getByLabel("事件类型").selectOption({ label: "其他设备已全部退出" });
    await page.getByRole("button", { name: "筛选" }).click();
    await page.getByText("共 1 条记录").waitFor();
    expect(await rows.count()).toBe(1);
    await screenshot(page, "security-log-filtered");

    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString("sv"); // YYYY-MM-DD, local
    await page.getByLabel("事件类型").selectOption({ label: "全部事件" });
    await page.getByLabel("结束日期").fill(yesterday);
    await page.getByRole("button", { name: "筛选" }).click();
    await page.getByText("暂无记录。").waitFor();
  });

  it("fits a phone's width", () => fitsAPhone("安全日志", "安全日志"));
});

describe("step-up hints", () => {
  it("says before the click that a change will ask to verify identity, and stops once verified", async () => {
    await openSection(page, "修改密码");
    await page.getByRole("heading", { name: "修改密码" }).waitFor();
    // With only a password, the current password changePassword takes is the proof: no hint.
    expect(await page.getByText(STEP_UP_HINT).count()).toBe(0);

    await openSection(page, "动态令牌");
    await page.getByText(STEP_UP_HINT).waitFor();
    await screenshot(page, "step-up-hint");
    await page.getByRole("button", { name: "设置动态令牌" }).click();
    await stepUpWithPassword(page);
    await page.getByText(STEP_UP_HINT).waitFor({ state: "detached" });
    await openSection(page, "API密钥");
    await page.getByRole("heading", { name: "创建密钥" }).waitFor();
    expect(await page.getByText(STEP_UP_HINT).count()).toBe(0);
  });
});

describe("实名认证", () => {
  it("shows the result of a pending check by itself, without a click", async () => {
    await openSection(page, "实名认证");
    await page.getByLabel("真实姓名").fill("张三");
    await page.getByLabel("身份证号").fill("11010519491231002X");
    await page.getByRole("button", { name: "开始认证" }).click();
    await page.getByText("认证中").waitFor();
    const verifyUrl = await page.getByRole("link", { name: "打开认证页面" }).getAttribute("href");

    // The person finishes on another device (the stand-in passes the check); this page only watches.
    expect((await fetch(verifyUrl!, { redirect: "manual" })).status).toBeLessThan(400);
    await page.getByText("已通过").waitFor({ timeout: 15_000 });
    await page.getByText("张*").waitFor();
    await screenshot(page, "real-name-polled");
  });
});

describe("登录设备, more than a page of them", () => {
  it("shows the most recently used 50 and loads the rest on request", async () => {
    for (let i = 0; i < 50; i++) await signInAgain(browser.app.client, username, `Script/${i}`);
    await openSection(page, "登录设备");
    const rows = page.locator("tbody tr");
    await page.getByRole("button", { name: "加载更多" }).waitFor();
    expect(await rows.count()).toBe(50);
    // The page's own session was last touched before the 50 sign-ins (at most once a minute): it is the 51st.
    expect(await page.getByRole("row", { name: /当前设备/ }).count()).toBe(0);
    await page.getByRole("button", { name: "加载更多" }).click();
    await page.getByRole("row", { name: /当前设备/ }).waitFor();
    expect(await page.getByRole("button", { name: "加载更多" }).count()).toBe(0);
    expect(await rows.count()).toBe(51);
    await screenshot(page, "sessions-loaded-more");
  });

  it("fits a phone's width with the button", () => fitsAPhone("登录设备", "登录设备"));
});
