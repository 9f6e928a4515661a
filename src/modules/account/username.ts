import { fieldRule } from "../../graphql/validation";

/**
 * 3-32 characters: ASCII letters, digits, `_`, `-` and CJK ideographs, with at least one letter or
 * ideograph. Nothing else, so look-alike letters from other scripts, full-width forms, spaces and
 * invisible characters cannot make a name that reads like someone else's, and no username can be
 * read as a phone number at sign-in.
 */
export const USERNAME_PATTERN = /^(?=.*[A-Za-z\p{Script=Han}])[A-Za-z0-9_\-\p{Script=Han}]{3,32}$/u;

/**
 * Han-script characters that are not ideographs but look like one: Kangxi radicals and the CJK
 * radicals supplement (⼈ beside 人, ⺅ beside 亻) and Hangzhou numerals (〡 beside 丨).
 */
const LOOK_ALIKES = /[\u2E80-\u2EFF\u2F00-\u2FDF\u3021-\u3029\u3038-\u303A]/u;

const PATTERN_MESSAGE = "username must be 3-32 characters: letters, digits, _, - or Chinese characters, with at least one letter";

/** Why `value` cannot be a username, or null. */
export function usernameProblem(value: unknown): string | null {
  if (typeof value !== "string") return PATTERN_MESSAGE;
  // First, so a full-width or compatibility form is named as such rather than as "not a letter".
  const compatible = [...value].find((char) => char.normalize("NFKC") !== char);
  if (compatible) {
    return `username must use standard characters: "${compatible}" (U+${codePoint(compatible)}) is a compatibility form of "${compatible.normalize("NFKC")}"`;
  }
  const lookAlike = LOOK_ALIKES.exec(value)?.[0];
  if (lookAlike)
    return `username must not contain radicals or numerals that look like ideographs: "${lookAlike}" (U+${codePoint(lookAlike)})`;
  return USERNAME_PATTERN.test(value) ? null : PATTERN_MESSAGE;
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

export const IsUsername = fieldRule("isUsername", (value) => {
  const message = usernameProblem(value);
  return message === null ? null : { code: "INVALID_USERNAME", params: { min: 3, max: 32 }, message };
});

/**
 * The form that is unique (and looked up at sign-in): NFKC, then lower case, so names that differ
 * only in letter case or in compatibility forms of one character are one name.
 */
export function normalizeUsername(username: string): string {
  return username.normalize("NFKC").toLowerCase();
}
