import { isEmail } from "../../graphql/constraints";
import type { FieldProblem } from "../../errors";
import { fieldRule } from "../../graphql/validation";
import type { parsePhoneNumberFromString as Parse } from "libphonenumber-js/max";
import { ContactKind } from "./contact.types";

const MAX_EMAIL_LENGTH = 254;

let parse: typeof Parse | undefined;

/**
 * libphonenumber-js with its full metadata, loaded by the first phone number rather than at start
 * (~60 ms of CPU that no start-up needs). Synchronous: validation rules and masks are.
 */
function parsePhoneNumberFromString(...args: Parameters<typeof Parse>): ReturnType<typeof Parse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parse ??= (require("libphonenumber-js/max") as { parsePhoneNumberFromString: typeof Parse }).parsePhoneNumberFromString;
  return parse(...args);
}

/** Lower-cased and trimmed, or null when it is not an address we can send to. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  const valid =
    email.length <= MAX_EMAIL_LENGTH && isEmail(email, { allow_utf8_local_part: false, require_tld: true, allow_ip_domain: false });
  return valid ? email : null;
}

/**
 * E.164, or null. Numbers without a country code are read as Chinese (`13812345678`, `138 1234 5678`);
 * `+86 138 1234 5678` and `+8613812345678` are the same number. Only numbers that can receive SMS pass.
 */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s()-]{5,25}$/.test(trimmed)) return null;
  const phone = parsePhoneNumberFromString(trimmed, "CN");
  if (!phone?.isValid()) return null;
  const type = phone.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE" ? phone.number : null;
}

export function normalizeAddress(kind: ContactKind, raw: string): string | null {
  return kind === ContactKind.EMAIL ? normalizeEmail(raw) : normalizePhone(raw);
}

/** `alice@example.com` -> `a***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * `+8613812345678` -> `+86 138****5678` (the usual Chinese form); shorter numbers, e.g. Hong Kong's
 * eight digits, show only their last three, so at most about half of any number is ever shown.
 */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  const national = phone ? String(phone.nationalNumber) : e164.replace(/^\+/, "");
  const shown = national.length >= 11 ? `${national.slice(0, 3)}****${national.slice(-4)}` : `****${national.slice(-3)}`;
  return phone ? `+${phone.countryCallingCode} ${shown}` : shown;
}

export function maskAddress(kind: ContactKind, address: string): string {
  return kind === ContactKind.EMAIL ? maskEmail(address) : maskPhone(address);
}

/** Why an address of `kind` is refused: for the validation rule and the services' own checks alike. */
export function invalidAddress(kind: ContactKind | undefined): FieldProblem {
  return kind === ContactKind.PHONE
    ? { code: "INVALID_PHONE", message: "address must be a mobile phone number, e.g. 13812345678 or +86 138 1234 5678" }
    : { code: "INVALID_EMAIL", message: "address must be an email address, e.g. name@example.com" };
}

/** class-validator rule for an `address` whose meaning depends on the sibling `kind` argument. */
export const IsContactAddress = fieldRule("isContactAddress", (value, object) => {
  const kind = object.kind as ContactKind | undefined;
  return typeof value === "string" && kind !== undefined && normalizeAddress(kind, value) !== null ? null : invalidAddress(kind);
});
