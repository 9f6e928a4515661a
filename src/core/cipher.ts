import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { DataKey } from "./data-key";
import { deriveKey } from "./data-key";

const VERSION = "v1";
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets kept at rest (TOTP secrets, legal names, ID numbers). Each value is sealed
 * as `v1.<keyId>.<iv>.<ciphertext>.<tag>` with a fresh 96-bit IV, and bound to `context` (e.g. the
 * row it belongs to) as associated data, so a ciphertext copied onto another row does not decrypt.
 */
export class DataCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: DataKey,
    previous: readonly DataKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map(({ id, key }) => [id, deriveKey(key, "data-at-rest")]));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.current.id)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString("base64url"),
      ciphertext.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
    ].join(".");
  }

  /** Throws when the value was altered, belongs to another context, or was sealed with an unknown key. */
  open(sealed: string, context: string): string {
    const [version, keyId, iv, ciphertext, tag] = sealed.split(".");
    const key = this.keys.get(keyId);
    if (version !== VERSION || !key || tag === undefined) throw new Error(`cannot open a value sealed with key "${keyId}"`);
    // Without a fixed tag length, GCM accepts a tag cut down to 4 bytes: a forgery would need 32 bits, not 128.
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    const authTag = Buffer.from(tag, "base64url");
    if (authTag.length !== TAG_BYTES) throw new Error("the sealed value's tag is not 16 bytes");
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  }
}
