import type { FieldProblem } from "../../errors";
import { fieldRule } from "../../graphql/validation";
import { COMMON_PASSWORDS } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Why `password` is not acceptable, or null. Length counts characters (code points), not UTF-16 units. */
export function passwordProblem(password: unknown, username?: string): FieldProblem | null {
  if (typeof password !== "string") return { code: "WRONG_TYPE", params: { expected: "String" }, message: "password must be a string" };
  const length = [...password.normalize("NFC")].length;
  const range = `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  if (length < PASSWORD_MIN_LENGTH) return { code: "TOO_SHORT", params: { min: PASSWORD_MIN_LENGTH }, message: range };
  if (length > PASSWORD_MAX_LENGTH) return { code: "TOO_LONG", params: { max: PASSWORD_MAX_LENGTH }, message: range };
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1*$/u.test(password)) {
    return { code: "PASSWORD_TOO_COMMON", message: "password is too common; choose one that is harder to guess" };
  }
  if (username && lower.includes(username.toLowerCase())) {
    return { code: "PASSWORD_CONTAINS_USERNAME", message: "password must not contain the username" };
  }
  return null;
}

/**
 * class-validator rule for a new password. When the same input object has a `username`, the password
 * must not contain it.
 */
export const IsAcceptablePassword = fieldRule("isAcceptablePassword", (value, object) =>
  passwordProblem(value, typeof object.username === "string" ? object.username : undefined),
);
