import { base32Decode, hotp, totp } from "../helpers/totp";
import { matchTotpStep, newTotpSecret, totpUri } from "../../src/modules/factors/totp-code";

// The RFC's test secret: ASCII "12345678901234567890".
const SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("the test's own TOTP implementation", () => {
  it("matches RFC 4226 Appendix D", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(base32Decode(SECRET), counter))).toEqual(expected);
  });

  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("matches RFC 6238 Appendix B at t=%i", (seconds, code) => {
    expect(totp(SECRET, new Date(seconds * 1000), 8)).toBe(code);
  });
});

const at = (seconds: number) => new Date(seconds * 1000);

describe("matchTotpStep (the server's TOTP window)", () => {
  it("accepts the current step and one either side, and says which step matched", () => {
    const now = 1111111111; // step 37037037
    const step = Math.floor(now / 30);
    for (const delta of [-1, 0, 1]) {
      expect(matchTotpStep(SECRET, hotp(base32Decode(SECRET), step + delta), at(now))).toBe(step + delta);
    }
  });

  it("refuses a code from two steps ago or two steps ahead", () => {
    const now = 1111111111;
    const step = Math.floor(now / 30);
    expect(matchTotpStep(SECRET, hotp(base32Decode(SECRET), step - 2), at(now))).toBeNull();
    expect(matchTotpStep(SECRET, hotp(base32Decode(SECRET), step + 2), at(now))).toBeNull();
  });

  it("accepts the RFC vector's 6-digit code at t=59 (the last 6 digits of 94287082)", () => {
    expect(matchTotpStep(SECRET, "287082", at(59))).toBe(1);
  });
});

describe("newTotpSecret and totpUri (what an app scans)", () => {
  it("makes a 160-bit base32 secret that the server's own check accepts codes of", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(matchTotpStep(secret, totp(secret, at(1111111111)), at(1111111111))).toBe(Math.floor(1111111111 / 30));
  });

  it("puts issuer, account and secret in the otpauth URI", () => {
    expect(totpUri("Acme ID", "alice", SECRET)).toBe(
      `otpauth://totp/Acme%20ID:alice?secret=${SECRET}&issuer=Acme%20ID&algorithm=SHA1&digits=6&period=30`,
    );
  });
});
