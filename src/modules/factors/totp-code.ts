import { randomBytes } from "node:crypto";
import speakeasy from "speakeasy";

/**
 * The authenticator-app algorithm (RFC 6238: SHA-1, 6 digits, 30 s steps), and the only file that
 * knows which library computes it: swapping speakeasy for another touches this file alone.
 */
export const TOTP_STEP_SECONDS = 30;

/** RFC 4648 base32 without padding, as authenticator apps expect. */
function base32(bytes: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of bytes) bits += byte.toString(2).padStart(8, "0");
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, "0"), 2)]).join("");
}

/** A fresh 160-bit secret (RFC 4226's recommended length), in base32. */
export function newTotpSecret(): string {
  return base32(randomBytes(20));
}

/** otpauth://totp/<issuer>:<account>?secret=...: what the enrolment QR code holds. */
export function totpUri(issuer: string, accountName: string, secretBase32: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=${TOTP_STEP_SECONDS}`;
}

/** The time step `code` belongs to for `secret` at `now` (that step, or one either side), or null. */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  const time = Math.floor(now.getTime() / 1000);
  const match = speakeasy.totp.verifyDelta({
    secret: secretBase32,
    encoding: "base32",
    token: code,
    window: 1,
    time,
    step: TOTP_STEP_SECONDS,
  });
  return match ? Math.floor(time / TOTP_STEP_SECONDS) + match.delta : null;
}
