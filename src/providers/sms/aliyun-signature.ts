import { createHmac } from "node:crypto";

/**
 * Aliyun RPC signature v1 (HMAC-SHA1), as the SendSms gateway checks it. Pure functions: the adapter
 * signs with them and the test fake verifies with them.
 */

/** RFC 3986 percent-encoding: encodeURIComponent leaves `!'()*` alone, Aliyun encodes them (`*` as `%2A`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every parameter except `Signature`, sorted by name, as encoded `name=value` pairs joined with `&`. */
export function canonicalizedQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== "Signature")
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join("&");
}

export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode("/")}&${percentEncode(canonicalizedQueryString(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign, keyed by the secret plus `&`. */
export function signRpcV1(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(rpcStringToSign(method, params), "utf8").digest("base64");
}

/** The `application/x-www-form-urlencoded` body (or query) for signed parameters, Signature included. */
export function encodeRpcParams(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join("&");
}
