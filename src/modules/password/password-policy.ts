import { registerDecorator, type ValidationArguments, type ValidationOptions } from "class-validator";
import { COMMON_PASSWORDS } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Why `password` is not acceptable, or null. Length counts characters (code points), not UTF-16 units. */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== "string") return "password must be a string";
  const length = [...password.normalize("NFC")].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1*$/u.test(password)) {
    return "password is too common; choose one that is harder to guess";
  }
  if (username && lower.includes(username.toLowerCase())) return "password must not contain the username";
  return null;
}

/**
 * class-validator rule for a new password. When the same input object has a `username`, the password
 * must not contain it.
 */
export function IsAcceptablePassword(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    registerDecorator({
      name: "isAcceptablePassword",
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const username = (args.object as { username?: unknown }).username;
          return passwordProblem(value as string, typeof username === "string" ? username : undefined) === null;
        },
        defaultMessage(args: ValidationArguments) {
          const username = (args.object as { username?: unknown }).username;
          return passwordProblem(args.value as string, typeof username === "string" ? username : undefined) ?? "";
        },
      },
    });
  };
}
