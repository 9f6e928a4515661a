import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from "node:crypto";

/**
 * Alipay OpenAPI 2.0 signing (RSA2, docs/providers.md §3.3/3.4). Pure functions: the gateway client signs
 * requests and verifies responses with them, and the test fake verifies requests and signs responses
 * with the same rules.
 */

/** The node `error_response` carries gateway-level failures instead of the method's own node. */
export const ERROR_NODE = "error_response";

/**
 * What a request's `sign` covers: every parameter except `sign` (`sign_type` stays), without empty
 * names or values, sorted by name, as raw `name=value` pairs joined with `&`. The default sort compares
 * UTF-16 units like Java's TreeMap, which is byte order for the ASCII names the gateway uses.
 */
export function signContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== "sign" && name !== "" && params[name] !== "")
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join("&");
}

/** Base64 SHA256withRSA (PKCS#1 v1.5) over the UTF-8 bytes of `content`. */
export function signRsa2(content: string, privateKey: KeyObject): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(privateKey, "base64");
}

export function verifyRsa2(content: string, signature: string, publicKey: KeyObject): boolean {
  return createVerify("RSA-SHA256").update(content, "utf8").verify(publicKey, signature, "base64");
}

/** `alipay.system.oauth.token` answers in `alipay_system_oauth_token_response`. */
export function responseNodeName(method: string): string {
  return `${method.replace(/\./g, "_")}_response`;
}

/** A response body cut into what its signature covers. */
export interface SplitResponse {
  /** The method's node or `error_response`, whichever the body holds. */
  readonly nodeName: string;
  /** The node's JSON text exactly as received: the signature is over these bytes, not a re-serialisation. */
  readonly rawNode: string;
  /** Absent when the body has no non-empty string `sign`. */
  readonly sign: string | undefined;
}

/**
 * Finds the method's node (or `error_response`) in a response body. Undefined when the body is not a
 * JSON object, holds neither node or both, the node is not an object, or a top-level key repeats
 * (JSON.parse keeps the last duplicate, a scan finds the first: the two must never disagree about what
 * was signed).
 */
export function splitResponse(body: string, method: string): SplitResponse | undefined {
  const members = rawMembers(body);
  if (members === undefined) return undefined;
  const present = [responseNodeName(method), ERROR_NODE].filter((name) => members.has(name));
  if (present.length !== 1) return undefined;
  const nodeName = present[0];
  const rawNode = members.get(nodeName) as string;
  if (!rawNode.startsWith("{")) return undefined;
  const rawSign = members.get("sign");
  const sign: unknown = rawSign === undefined ? undefined : JSON.parse(rawSign);
  return { nodeName, rawNode, sign: typeof sign === "string" && sign !== "" ? sign : undefined };
}

/**
 * Verifies a response node with Alipay's public key. Like the Java SDK, retries once with `\/`
 * unescaped, for a gateway that signed `/` but emitted it escaped.
 */
export function verifyResponseNode(rawNode: string, sign: string, alipayPublicKey: KeyObject): boolean {
  if (verifyRsa2(rawNode, sign, alipayPublicKey)) return true;
  return rawNode.includes("\\/") && verifyRsa2(rawNode.replaceAll("\\/", "/"), sign, alipayPublicKey);
}

const BARE_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The Alipay console shows keys as bare base64 DER; PEM text starts with its `-----BEGIN` line. */
function bareDer(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, "");
  return BARE_BASE64.test(compact) ? Buffer.from(compact, "base64") : undefined;
}

/** The app's RSA private key from PEM (PKCS#8 or PKCS#1) or bare base64 PKCS#8/PKCS#1 DER. */
export function normalizePrivateKey(raw: string): KeyObject {
  const text = raw.trim();
  const key = text.startsWith("-----BEGIN") ? attempt(() => createPrivateKey(text)) : derPrivateKey(bareDer(text));
  // The message never quotes the input: it is a secret.
  if (key?.asymmetricKeyType !== "rsa")
    throw new Error("Alipay app private key: expected an RSA private key as PEM or base64 PKCS#8/PKCS#1");
  return key;
}

function derPrivateKey(der: Buffer | undefined): KeyObject | undefined {
  if (der === undefined) return undefined;
  return (
    attempt(() => createPrivateKey({ key: der, format: "der", type: "pkcs8" })) ??
    attempt(() => createPrivateKey({ key: der, format: "der", type: "pkcs1" }))
  );
}

/** Alipay's RSA public key from PEM or bare base64 SPKI DER. A private key is refused, not silently reduced to its public half. */
export function normalizePublicKey(raw: string): KeyObject {
  const text = raw.trim();
  let key: KeyObject | undefined;
  if (text.startsWith("-----BEGIN")) {
    key = text.includes("PRIVATE KEY") ? undefined : attempt(() => createPublicKey(text));
  } else {
    const der = bareDer(text);
    key = der === undefined ? undefined : attempt(() => createPublicKey({ key: der, format: "der", type: "spki" }));
  }
  if (key?.asymmetricKeyType !== "rsa") throw new Error("Alipay public key: expected an RSA public key as PEM or base64 SPKI");
  return key;
}

function attempt(load: () => KeyObject): KeyObject | undefined {
  try {
    return load();
  } catch {
    return undefined;
  }
}

/**
 * The members of a JSON object body as raw text, by decoded key, exactly as they appear. Undefined
 * when the body is not a JSON object or repeats a key.
 */
function rawMembers(body: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  // The body is valid JSON from here on, so the scan only has to find where each member starts and ends.
  const members = new Map<string, string>();
  let at = skipWhitespace(body, skipWhitespace(body, 0) + 1);
  while (body[at] !== "}") {
    const keyEnd = endOfString(body, at);
    const key = JSON.parse(body.slice(at, keyEnd)) as string;
    if (members.has(key)) return undefined;
    const valueStart = skipWhitespace(body, skipWhitespace(body, keyEnd) + 1);
    const valueEnd = endOfValue(body, valueStart);
    members.set(key, body.slice(valueStart, valueEnd));
    at = skipWhitespace(body, valueEnd);
    if (body[at] === ",") at = skipWhitespace(body, at + 1);
  }
  return members;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && " \t\n\r".includes(text[at])) at += 1;
  return at;
}

/** `at` is an opening quote; returns the index just past the closing one, stepping over escapes. */
function endOfString(text: string, at: number): number {
  let i = at + 1;
  while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Returns the index just past the JSON value starting at `at`; brackets inside strings do not count. */
function endOfValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return endOfString(text, at);
  if (first === "{" || first === "[") {
    let depth = 0;
    let i = at;
    do {
      const char = text[i];
      if (char === '"') {
        i = endOfString(text, i);
        continue;
      }
      if (char === "{" || char === "[") depth += 1;
      else if (char === "}" || char === "]") depth -= 1;
      i += 1;
    } while (depth > 0);
    return i;
  }
  let i = at;
  while (i < text.length && !",}] \t\n\r".includes(text[i])) i += 1;
  return i;
}
