import { createDecipheriv, hkdfSync } from "node:crypto";
import { DataCipher } from "../../src/core/cipher";
import type { DataKey } from "../../src/core/data-key";

const K1: DataKey = { id: "k1", key: Buffer.alloc(32, 1) };
const K2: DataKey = { id: "k2", key: Buffer.alloc(32, 2) };
const CONTEXT = "totp_credentials:5f0c6b1e-0000-4000-8000-000000000001";

/** Decodes a base64url part, lets `change` alter the bytes, and puts it back. */
function alterPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split(".");
  parts[index] = change(Buffer.from(parts[index], "base64url")).toString("base64url");
  return parts.join(".");
}

function flipFirstBit(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] ^= 0x01;
  return copy;
}

describe("DataCipher", () => {
  it.each([
    ["ASCII", "JBSWY3DPEHPK3PXP"],
    ["Chinese", "张三 身份证号 110101199003077777"],
    ["emoji and symbols", "🔐 naïve café — ✓"],
    ["empty", ""],
    ["long", "x".repeat(10_000)],
  ])("opens what it sealed (%s)", (_case, plaintext) => {
    const cipher = new DataCipher(K1);
    const sealed = cipher.seal(plaintext, CONTEXT);
    expect(cipher.open(sealed, CONTEXT)).toBe(plaintext);
  });

  it("seals as v1.<keyId>.<iv>.<ciphertext>.<tag> with a 96-bit IV and a 128-bit tag", () => {
    const plaintext = "李雷";
    const sealed = new DataCipher(K1).seal(plaintext, CONTEXT);
    const parts = sealed.split(".");
    expect(parts).toHaveLength(5);
    const [version, keyId, iv, ciphertext, tag] = parts;
    expect(version).toBe("v1");
    expect(keyId).toBe("k1");
    for (const part of [iv, ciphertext, tag]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(iv, "base64url")).toHaveLength(12);
    expect(Buffer.from(tag, "base64url")).toHaveLength(16);
    // GCM is a stream mode: the ciphertext is as long as the UTF-8 plaintext (6 bytes for 李雷).
    expect(Buffer.from(ciphertext, "base64url")).toHaveLength(Buffer.byteLength(plaintext, "utf8"));
    expect(sealed).not.toContain(Buffer.from(plaintext, "utf8").toString("base64url"));
  });

  it("is AES-256-GCM under a key derived from the data key for data at rest, with the context as AAD", () => {
    const sealed = new DataCipher(K1).seal("secret value", CONTEXT);
    const [, , iv, ciphertext, tag] = sealed.split(".");
    const derived = Buffer.from(hkdfSync("sha256", K1.key, Buffer.alloc(0), "account-platform/data-at-rest", 32));
    const decipher = createDecipheriv("aes-256-gcm", derived, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(CONTEXT, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    expect(plaintext).toBe("secret value");
  });

  it("never uses the raw data key itself", () => {
    const sealed = new DataCipher(K1).seal("secret value", CONTEXT);
    const [, , iv, ciphertext, tag] = sealed.split(".");
    const decipher = createDecipheriv("aes-256-gcm", K1.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(CONTEXT, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    decipher.update(Buffer.from(ciphertext, "base64url"));
    expect(() => decipher.final()).toThrow();
  });

  it("gives two seals of one value different IVs and ciphertexts", () => {
    const cipher = new DataCipher(K1);
    const first = cipher.seal("same value", CONTEXT);
    const second = cipher.seal("same value", CONTEXT);
    expect(second).not.toBe(first);
    expect(second.split(".")[2]).not.toBe(first.split(".")[2]);
    expect(second.split(".")[3]).not.toBe(first.split(".")[3]);
    expect(cipher.open(first, CONTEXT)).toBe("same value");
    expect(cipher.open(second, CONTEXT)).toBe("same value");
  });

  it("does not repeat an IV over many seals", () => {
    const cipher = new DataCipher(K1);
    const ivs = new Set(Array.from({ length: 1000 }, () => cipher.seal("v", CONTEXT).split(".")[2]));
    expect(ivs.size).toBe(1000);
  });

  it.each([
    ["another row", "totp_credentials:5f0c6b1e-0000-4000-8000-000000000002"],
    ["an empty context", ""],
    ["the context with a trailing space", `${CONTEXT} `],
  ])("refuses to open under %s", (_case, otherContext) => {
    const cipher = new DataCipher(K1);
    const sealed = cipher.seal("bound to its row", CONTEXT);
    expect(() => cipher.open(sealed, otherContext)).toThrow();
  });

  it.each([
    ["the IV", 2],
    ["the ciphertext", 3],
    ["the tag", 4],
  ])("refuses a value whose %s was altered by one bit", (_case, index) => {
    const cipher = new DataCipher(K1);
    const sealed = cipher.seal("do not touch", CONTEXT);
    const tampered = alterPart(sealed, index, flipFirstBit);
    expect(tampered).not.toBe(sealed);
    expect(() => cipher.open(tampered, CONTEXT)).toThrow();
  });

  it("refuses a value whose ciphertext was swapped with another value's", () => {
    const cipher = new DataCipher(K1);
    const a = cipher.seal("value A", CONTEXT).split(".");
    const b = cipher.seal("value B", CONTEXT).split(".");
    expect(() => cipher.open([a[0], a[1], a[2], b[3], a[4]].join("."), CONTEXT)).toThrow();
  });

  it.each([
    ["12 bytes", 12],
    ["8 bytes", 8],
    ["4 bytes", 4],
  ])("refuses a value whose tag was cut to %s", (_case, length) => {
    const cipher = new DataCipher(K1);
    const sealed = cipher.seal("do not touch", CONTEXT);
    const truncated = alterPart(sealed, 4, (tag) => tag.subarray(0, length));
    expect(() => cipher.open(truncated, CONTEXT)).toThrow();
  });

  it.each([
    ["no tag", (s: string) => s.split(".").slice(0, 4).join(".")],
    ["an empty tag", (s: string) => s.split(".").slice(0, 4).join(".") + "."],
    ["another version", (s: string) => s.replace(/^v1\./, "v2.")],
    ["no version", (s: string) => s.split(".").slice(1).join(".")],
    ["an empty IV", (s: string) => alterPart(s, 2, () => Buffer.alloc(0))],
    ["not a sealed value", () => "plain text"],
    ["an empty string", () => ""],
  ])("refuses a value with %s", (_case, mangle) => {
    const cipher = new DataCipher(K1);
    const sealed = cipher.seal("do not touch", CONTEXT);
    expect(() => cipher.open(mangle(sealed), CONTEXT)).toThrow();
  });

  describe("key rotation", () => {
    it("opens values sealed with a previous key and seals new ones with the current key", () => {
      const old = new DataCipher(K1);
      const sealedWithK1 = old.seal("张三", CONTEXT);
      expect(sealedWithK1.split(".")[1]).toBe("k1");

      const rotated = new DataCipher(K2, [K1]);
      expect(rotated.open(sealedWithK1, CONTEXT)).toBe("张三");

      const sealedWithK2 = rotated.seal("张三", CONTEXT);
      expect(sealedWithK2.split(".")[1]).toBe("k2");
      expect(rotated.open(sealedWithK2, CONTEXT)).toBe("张三");
      // A cipher that knows only k1 cannot read what k2 sealed.
      expect(() => old.open(sealedWithK2, CONTEXT)).toThrow();
    });

    it("opens with the key its id names, not the current one", () => {
      const sealedWithK1 = new DataCipher(K1).seal("v", CONTEXT);
      // The same bytes labelled k2 do not open: k2 is another key.
      const relabelled = sealedWithK1.replace(/^v1\.k1\./, "v1.k2.");
      expect(() => new DataCipher(K2, [K1]).open(relabelled, CONTEXT)).toThrow();
    });

    it("refuses a value sealed with a key it does not know", () => {
      const sealedWithK1 = new DataCipher(K1).seal("v", CONTEXT);
      expect(() => new DataCipher(K2).open(sealedWithK1, CONTEXT)).toThrow(/k1/);
      const k3: DataKey = { id: "k3", key: Buffer.alloc(32, 3) };
      expect(() => new DataCipher(K2, [k3]).open(sealedWithK1, CONTEXT)).toThrow(/k1/);
    });

    it("refuses a value whose key id was changed to an unknown one", () => {
      const sealed = new DataCipher(K1).seal("v", CONTEXT);
      expect(() => new DataCipher(K1).open(sealed.replace(/^v1\.k1\./, "v1.k9."), CONTEXT)).toThrow(/k9/);
    });

    it("derives different keys from different data keys with one id", () => {
      const sealed = new DataCipher(K1).seal("v", CONTEXT);
      const sameIdOtherKey = new DataCipher({ id: "k1", key: K2.key });
      expect(() => sameIdOtherKey.open(sealed, CONTEXT)).toThrow();
    });
  });
});
