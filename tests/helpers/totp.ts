import { createHmac } from "node:crypto";

/** RFC 4648 base32 to bytes: the test's own decoding, independent of the server's. */
export function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = text
    .replace(/=+$/, "")
    .toUpperCase()
    .split("")
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0"))
    .join("");
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

/** RFC 4226 HOTP with SHA-1, written here independently of speakeasy so tests check the server against the RFC. */
export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hash = createHmac("sha1", secret).update(message).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const value = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 TOTP (30 s steps) for a base32 secret at `time`. */
export function totp(secretBase32: string, time: Date, digits = 6): string {
  return hotp(base32Decode(secretBase32), Math.floor(time.getTime() / 1000 / 30), digits);
}
