import { Matches, type ValidationOptions } from "class-validator";

/**
 * 3-32 characters: ASCII letters, digits, `_`, `-` and CJK ideographs, with at least one letter or
 * ideograph. Nothing else, so look-alike letters from other scripts, full-width forms, spaces and
 * invisible characters cannot make a name that reads like someone else's, and no username can be
 * read as a phone number at sign-in.
 */
export const USERNAME_PATTERN = /^(?=.*[A-Za-z\p{Script=Han}])[A-Za-z0-9_\-\p{Script=Han}]{3,32}$/u;

export function IsUsername(options?: ValidationOptions) {
  return Matches(USERNAME_PATTERN, {
    message: "username must be 3-32 characters: letters, digits, _, - or Chinese characters, with at least one letter",
    ...options,
  });
}

/** The form that is unique: usernames differ only if they differ ignoring case. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}
