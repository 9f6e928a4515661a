import { createHmac } from "node:crypto";
import { sha256Hex } from "../../core/crypto";

/**
 * Tencent Cloud API signature v3 (TC3-HMAC-SHA256). Pure functions: the adapter signs with them and
 * the test fake verifies with them.
 */

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

export interface Tc3Request {
  readonly method: string;
  /** `""` for POST. */
  readonly canonicalQueryString: string;
  /** The headers to sign, at least `content-type` and `host`; names in any case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes sent. */
  readonly payload: string;
}

function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The lowercase header names, sorted and joined with `;`. */
export function signedHeaderNames(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort()
    .join(";");
}

export function canonicalRequest(request: Tc3Request): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name.toLowerCase()}:${value.trim().toLowerCase()}\n`)
    .sort()
    .join("");
  return [request.method, "/", request.canonicalQueryString, headers, signedHeaderNames(request.headers), sha256Hex(request.payload)].join(
    "\n",
  );
}

/** The UTC date of a unix timestamp, `YYYY-MM-DD`: the scope must use UTC, not local time. */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

export function credentialScope(date: string, service: string): string {
  return `${date}/${service}/tc3_request`;
}

export function stringToSign(timestampSeconds: number, scope: string, canonical: string): string {
  return `${TC3_ALGORITHM}\n${timestampSeconds}\n${scope}\n${sha256Hex(canonical)}`;
}

export function deriveSigningKey(secretKey: string, date: string, service: string): Buffer {
  const secretDate = hmacSha256(`TC3${secretKey}`, date);
  const secretService = hmacSha256(secretDate, service);
  return hmacSha256(secretService, "tc3_request");
}

/** Hex signature of a request at `timestampSeconds`, for `service`, with the scope date taken from the timestamp. */
export function tc3Signature(secretKey: string, service: string, timestampSeconds: number, request: Tc3Request): string {
  const date = utcDate(timestampSeconds);
  const toSign = stringToSign(timestampSeconds, credentialScope(date, service), canonicalRequest(request));
  return createHmac("sha256", deriveSigningKey(secretKey, date, service))
    .update(toSign, "utf8")
    .digest("hex");
}

export function authorizationHeader(secretId: string, scope: string, signedHeaders: string, signature: string): string {
  return `${TC3_ALGORITHM} Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
