import { ERROR_CODES } from "../../src/errors";
import { ERROR_MESSAGES, errorMessage } from "../../web/src/i18n/errors";
import { LANGS } from "../../web/src/i18n/lang";

/** Codes Apollo answers for requests that are not valid GraphQL (README, "Error codes"). */
const APOLLO_REQUEST_CODES = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST"];

describe("the account center's error messages", () => {
  const codes = [...Object.keys(ERROR_CODES), ...APOLLO_REQUEST_CODES];

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
