import { base32Decode, hotp, totp } from "../helpers/totp";
import { SecondFactorVerifier } from "../../src/modules/totp/second-factor-verifier";
import type { Clock } from "../../src/core/clock";

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

describe("SecondFactorVerifier.matchStep (the server's TOTP window)", () => {
  function verifierAt(seconds: number): SecondFactorVerifier {
    const clock: Clock = { now: () => new Date(seconds * 1000) };
    return new SecondFactorVerifier(
      undefined as never,
      undefined as never,
      clock,
      undefined as never,
      Buffer.alloc(32),
      undefined as never,
    );
  }

  it("accepts the current step and one either side, and says which step matched", () => {
    const now = 1111111111; // step 37037037
    const step = Math.floor(now / 30);
    const verifier = verifierAt(now);
    for (const delta of [-1, 0, 1]) {
      expect(verifier.matchStep(SECRET, hotp(base32Decode(SECRET), step + delta))).toBe(step + delta);
    }
  });

  it("refuses a code from two steps ago or two steps ahead", () => {
    const now = 1111111111;
    const step = Math.floor(now / 30);
    const verifier = verifierAt(now);
    expect(verifier.matchStep(SECRET, hotp(base32Decode(SECRET), step - 2))).toBeNull();
    expect(verifier.matchStep(SECRET, hotp(base32Decode(SECRET), step + 2))).toBeNull();
  });

  it("accepts the RFC vector's 6-digit code at t=59 (the last 6 digits of 94287082)", () => {
    expect(verifierAt(59).matchStep(SECRET, "287082")).toBe(1);
  });
});
