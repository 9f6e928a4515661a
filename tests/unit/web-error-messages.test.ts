import { ERROR_MESSAGES, FIELD_ERROR_MESSAGES, errorMessage, fieldErrorMessage } from "../../web/src/i18n/errors";
import { LANGS } from "../../web/src/i18n/lang";
import { publishedEnum } from "../helpers/published-schema";

describe("the account center's error messages", () => {
  const codes = publishedEnum("ErrorCode");
  const fieldCodes = publishedEnum("FieldErrorCode");

  it("reads the codes from the schema's enums", () => {
    expect(codes).toEqual(expect.arrayContaining(["STEP_UP_REQUIRED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]));
    expect(fieldCodes).toEqual(expect.arrayContaining(["TOO_SHORT", "PASSWORD_TOO_COMMON"]));
  });

  it.each(codes)("has %s in every language", (code) => {
    for (const lang of LANGS) expect(ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES]?.[lang]?.trim()).toBeTruthy();
  });

  it.each(fieldCodes)("has the field error %s in every language", (code) => {
    for (const lang of LANGS)
      expect(fieldErrorMessage(code, { min: 8, max: 64, allowed: ["A"], fields: ["a", "b"] }, lang)).not.toMatch(/undefined|^\s*$/);
  });

  it("words a field error with its params", () => {
    expect(fieldErrorMessage("TOO_SHORT", { min: 8 }, "zh-CN")).toBe("至少 8 个字符。");
    expect(fieldErrorMessage("TOO_LONG", { max: 64 }, "en")).toBe("Use at most 64 characters.");
  });

  it("says how long to wait when the API gives retryAfterSeconds", () => {
    expect(errorMessage("RATE_LIMITED", "zh-CN", 30)).toContain("30 秒");
    expect(errorMessage("RATE_LIMITED", "en", 30)).toContain("30 s");
  });

  it("falls back to the general messages for codes it does not know", () => {
    expect(errorMessage("SOMETHING_NEW", "en")).toBe(ERROR_MESSAGES.INTERNAL_SERVER_ERROR.en);
    expect(fieldErrorMessage("SOMETHING_NEW", {}, "en")).toBe(FIELD_ERROR_MESSAGES.INVALID_FORMAT.en({}));
  });
});
