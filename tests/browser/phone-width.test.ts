import type { Page } from "playwright-core";
import { openSection, screenshot, signedUpPage, startBrowserApp, type BrowserApp } from "./browser";

/** Every section of the console, by its label in each language (App.tsx's SECTIONS, in order). */
const SECTIONS = {
  zh: [
    "基本信息",
    "修改密码",
    "绑定邮箱&手机号",
    "绑定微信&QQ",
    "绑定支付宝",
    "实名认证",
    "API密钥",
    "动态令牌",
    "二次验证",
    "登录设备",
    "安全日志",
  ],
  en: [
    "Basic information",
    "Change password",
    "Email & phone",
    "WeChat & QQ",
    "Alipay",
    "Real-name verification",
    "API keys",
    "Authenticator app",
    "Two-step verification",
    "Sessions",
    "Security log",
  ],
};

/**
 * Latin words a Chinese page may show: names of products and standards, the language switch's
 * "English", and the browser and OS a user agent names. Anything else is English leaking.
 */
const LATIN_ALLOWED = new Set([
  "API",
  "ID",
  "QQ",
  "TOTP",
  "https",
  "English",
  "IP",
  "Headless",
  "Chrome",
  "Linux",
  "Google",
  "Microsoft",
  "Authenticator",
]);
/** Data, not words: the username, ids, URLs and example addresses. */
const NOT_WORDS = [/https?:\/\/\S+/g, /\b[0-9a-f]{8}-[0-9a-f-]{27}\b/gi, /\S+@\S+/g];

const PHONE = { width: 390, height: 844 };

let browser: BrowserApp;
beforeAll(async () => {
  browser = await startBrowserApp();
});
afterAll(() => browser?.stop());
afterEach(() => expect(browser.problems).toEqual([]));

/** Opens a section and waits until its page has drawn what it loads. */
async function shown(page: Page, section: string): Promise<void> {
  await openSection(page, section);
  await page.getByRole("navigation").locator('[aria-current="page"]', { hasText: section }).waitFor();
  await page.locator("main h2").first().waitFor();
  await page.waitForLoadState("networkidle");
}

/** Chinese characters on an English page, other than the language switch's 中文. */
async function chineseOn(page: Page): Promise<string[]> {
  const text = (await page.locator("body").innerText()).replace("中文", "");
  return [...new Set(text.match(/\p{Script=Han}+/gu) ?? [])];
}

async function widthOf(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth");
}

/** The words of Latin letters on the page that are neither allowed, nor data, nor identifiers shown as `<code>`. */
async function englishOn(page: Page, username: string): Promise<string[]> {
  const code = await page.locator("code").allInnerTexts();
  const shown = code.reduce((text, identifier) => text.replace(identifier, ""), await page.locator("body").innerText());
  const text = NOT_WORDS.reduce((text, data) => text.replace(data, ""), shown.replaceAll(username, ""));
  return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((word) => !LATIN_ALLOWED.has(word));
}

describe("at a phone's width (390 px)", () => {
  it("every signed-out page fits", async () => {
    const page = await browser.newPage();
    await page.setViewportSize(PHONE);
    for (const path of ["/signin", "/signup", "/reset-password"]) {
      await page.goto(path);
      await page.locator("form").first().waitFor();
      expect({ path, width: await widthOf(page) }).toEqual({ path, width: PHONE.width });
      expect({ path, english: await englishOn(page, "") }).toEqual({ path, english: [] });
    }
    await screenshot(page, "sign-in-phone");
  });

  it("every section fits, in Chinese with no English and in English with no Chinese", async () => {
    const { page, username } = await signedUpPage(browser);
    await page.setViewportSize(PHONE);
    for (const section of SECTIONS.zh) {
      await shown(page, section);
      expect({ section, width: await widthOf(page) }).toEqual({ section, width: PHONE.width });
      expect({ section, english: await englishOn(page, username) }).toEqual({ section, english: [] });
      await screenshot(page, `phone-${SECTIONS.en[SECTIONS.zh.indexOf(section)].replaceAll(/\W+/g, "-").toLowerCase()}`);
    }
    await page.getByRole("button", { name: "English" }).click();
    for (const section of SECTIONS.en) {
      await shown(page, section);
      expect({ section, width: await widthOf(page) }).toEqual({ section, width: PHONE.width });
      expect({ section, chinese: await chineseOn(page) }).toEqual({ section, chinese: [] });
    }
  });
});
