import {
  maskAddress,
  maskEmail,
  maskPhone,
  normalizeAddress,
  normalizeEmail,
  normalizePhone,
} from "../../src/modules/contact/contact-address";
import { ContactKind } from "../../src/modules/contact/contact.types";
import { parseSignInName } from "../../src/modules/account/sign-in-name";

/** A syntactically valid address of exactly `length` characters (local part 64, domain labels <= 63). */
function emailOfLength(length: number): string {
  const local = "a".repeat(64);
  const tld = ".com";
  let domainBody = "b".repeat(length - local.length - 1 - tld.length);
  // split into labels of at most 63 characters
  domainBody = domainBody
    .match(/.{1,62}/g)!
    .join(".")
    .slice(0, domainBody.length);
  const email = `${local}@${domainBody}${tld}`;
  if (email.length !== length) throw new Error(`built ${email.length} characters, wanted ${length}`);
  return email;
}

describe("normalizeEmail", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["  Alice@Example.COM  ", "alice@example.com"],
    ["BOB.Smith+tag@Sub.Example.org", "bob.smith+tag@sub.example.org"],
    ["\tcarol@example.cn\n", "carol@example.cn"],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["no @", "alice.example.com"],
    ["no domain", "alice@"],
    ["no local part", "@example.com"],
    ["two @", "a@@example.com"],
    ["no top-level domain", "alice@localhost"],
    ["an IP domain", "alice@127.0.0.1"],
    ["a space inside", "ali ce@example.com"],
    ["a non-ASCII local part", "用户@example.com"],
    ["a display name", "Alice <alice@example.com>"],
  ])("%s -> null", (_case, raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });

  it("accepts 254 characters and refuses 255", () => {
    const longest = emailOfLength(254);
    expect(normalizeEmail(longest)).toBe(longest);
    expect(normalizeEmail(emailOfLength(255))).toBeNull();
    // surrounding spaces do not count against the limit
    expect(normalizeEmail(`  ${longest.toUpperCase()}  `)).toBe(longest);
  });
});

describe("normalizePhone", () => {
  it.each(["13812345678", "+86 138 1234 5678", "+8613812345678", "138-1234-5678", "138 1234 5678", "  13812345678  ", "(138) 1234 5678"])(
    "%j -> +8613812345678",
    (raw) => {
      expect(normalizePhone(raw)).toBe("+8613812345678");
    },
  );

  it("reads numbers of other countries with their calling code", () => {
    expect(normalizePhone("+852 9123 4567")).toBe("+85291234567");
  });

  it.each([
    ["a Beijing landline", "010 6552 9988"],
    ["a landline with +86", "+86 10 6552 9988"],
    ["an unassigned 149 prefix", "14912345678"],
    ["too few digits", "1381234567"],
    ["too many digits", "138123456789"],
    ["letters", "abc"],
    ["a letter among the digits", "1381234567a"],
    ["a number spelled with letters", "138-CALL-NOW"],
    ["empty", ""],
    ["an email", "alice@example.com"],
  ])("%s -> null", (_case, raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});

describe("normalizeAddress", () => {
  it("reads the address by kind", () => {
    expect(normalizeAddress(ContactKind.EMAIL, " Alice@Example.com")).toBe("alice@example.com");
    expect(normalizeAddress(ContactKind.PHONE, "138 1234 5678")).toBe("+8613812345678");
    expect(normalizeAddress(ContactKind.PHONE, "alice@example.com")).toBeNull();
    expect(normalizeAddress(ContactKind.EMAIL, "13812345678")).toBeNull();
  });
});

describe("masking", () => {
  it("keeps the first character and the domain of an email", () => {
    expect(maskEmail("alice@example.com")).toBe("a***@example.com");
    expect(maskEmail("b@example.org")).toBe("b***@example.org");
  });

  it("keeps the calling code, the first three and the last four digits of a phone", () => {
    expect(maskPhone("+8613812345678")).toBe("+86 138****5678");
    // Shorter numbers show only their last three digits, never most of the number.
    expect(maskPhone("+85291234567")).toBe("+852 ****567");
  });

  it("masks by the kind of address", () => {
    expect(maskAddress(ContactKind.EMAIL, "alice@example.com")).toBe("a***@example.com");
    expect(maskAddress(ContactKind.PHONE, "+8613912345678")).toBe("+86 139****5678");
  });
});

describe("parseSignInName", () => {
  it.each([
    [" Alice@Example.COM ", { kind: "EMAIL", subject: "alice@example.com" }],
    ["alice@example.com", { kind: "EMAIL", subject: "alice@example.com" }],
    ["13812345678", { kind: "PHONE", subject: "+8613812345678" }],
    ["138 1234 5678", { kind: "PHONE", subject: "+8613812345678" }],
    ["+86 138-1234-5678", { kind: "PHONE", subject: "+8613812345678" }],
    ["+8613812345678", { kind: "PHONE", subject: "+8613812345678" }],
    ["Alice_01", { kind: "USERNAME", subject: "alice_01" }],
    ["  BOB-X ", { kind: "USERNAME", subject: "bob-x" }],
    ["张三", { kind: "USERNAME", subject: "张三" }],
  ])("%j -> %j", (identifier, expected) => {
    expect(parseSignInName(identifier)).toEqual(expected);
  });

  it("keeps an invalid string with @ an EMAIL, lower-cased, so it can match nothing", () => {
    expect(parseSignInName(" Bob@ ")).toEqual({ kind: "EMAIL", subject: "bob@" });
  });

  it("reads a landline-looking string as a username, never as a phone", () => {
    expect(parseSignInName("010 6552 9988").kind).toBe("USERNAME");
  });
});
