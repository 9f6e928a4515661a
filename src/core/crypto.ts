import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random bearer secret: `<prefix>_<base64url of `bytes` random bytes>`. The prefix lets secret scanners spot leaks. */
export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString("base64url")}`;
}

/**
 * Bearer secrets carry >= 256 bits, so an unkeyed SHA-256 is enough to store them. One-shot
 * `crypto.hash` (Node 20.12+) costs half of createHash().update().digest(), on every authenticated request.
 */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
