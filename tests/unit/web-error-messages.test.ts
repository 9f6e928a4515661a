import fs from "node:fs";
import path from "node:path";
import { ERROR_CODES } from "../../src/errors";
import { ERROR_MESSAGES, errorMessage } from "../../web/src/i18n/errors";
import { LANGS } from "../../web/src/i18n/lang";

/**
 * Every code README's "Error codes" section names: the table's first column, and the codes its
 * prose names (Apollo's request codes). Other columns name settings, not codes.
 */
function readmeErrorCodes(): string[] {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const section = readme.split(/^## Error codes$/m)[1].split(/^## /m)[0];
  return section.split("\n").flatMap((line) => {
    const text = line.startsWith("|") ? line.split("|")[1] : line;
    return [...text.matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]);
  });
}

describe("the account center's error messages", () => {
  const codes = [...new Set([...Object.keys(ERROR_CODES), ...readmeErrorCodes()])];

  it("reads the codes from the server's table and the README", () => {
    expect(codes).toEqual(expect.arrayContaining(["STEP_UP_REQUIRED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]));
  });

  it.each(codes)("has %s in every language", (code) => {
    for (const lang of LANGS) expect(ERROR_MESSAGES[code]?.[lang]?.trim()).toBeTruthy();
  });

  it("says how long to wait when the API gives retryAfterSeconds", () => {
    expect(errorMessage("RATE_LIMITED", "zh-CN", 30)).toContain("30 秒");
    expect(errorMessage("RATE_LIMITED", "en", 30)).toContain("30 s");
  });

  it("falls back to the general message for a code it does not know", () => {
    expect(errorMessage("SOMETHING_NEW", "en")).toBe(ERROR_MESSAGES.INTERNAL_SERVER_ERROR.en);
  });
});
