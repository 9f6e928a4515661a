import type { Clock } from "../../core/clock";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = "10X98765432";

/** The GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Why `raw` is not a valid 18-character resident ID number, or null. A lower-case x is accepted as
 * the check character X; the birth date must be a real day, not in the future and not before 1900.
 */
export function idNumberProblem(raw: string, clock: Clock): string | null {
  const value = raw.trim().toUpperCase();
  if (/^\d{15}$/.test(value)) return "15-digit ID numbers are no longer accepted; use the 18-character number on your current ID card";
  if (!/^\d{17}[\dX]$/.test(value)) return "idNumber must be 18 characters: 17 digits and a digit or X";
  const [year, month, day] = [value.slice(6, 10), value.slice(10, 12), value.slice(12, 14)].map(Number);
  const birth = new Date(Date.UTC(year, month - 1, day));
  const realDay = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!realDay || year < 1900) return "idNumber has an impossible birth date";
  if (birth > clock.now()) return "idNumber has a birth date in the future";
  if (checkCharacter(value.slice(0, 17)) !== value[17]) return "idNumber's check character is wrong; check the number for a typo";
  return null;
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** `11010519491231002X` -> `1101**********002X`: the first four and last four characters. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 4)}${"*".repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
}

/**
 * Legal names: 2-30 characters of CJK ideographs or letters (any script, for ethnic-minority and
 * naturalised citizens' names), with single spaces or the middle dot `·` of transliterated names
 * between parts, as printed on ID cards.
 */
export const LEGAL_NAME_PATTERN = /^(?=.{2,30}$)[\p{Script=Han}\p{L}]+(?:[· ][\p{Script=Han}\p{L}]+)*$/u;

/** `张三` -> `张*`, `阿卜杜·热合曼` -> `阿******`: only the first character shows. */
export function maskName(name: string): string {
  const characters = [...name];
  return `${characters[0]}${"*".repeat(Math.max(characters.length - 1, 1))}`;
}
