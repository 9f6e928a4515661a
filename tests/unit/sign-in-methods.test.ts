import { keepsSignInMethod } from "../../src/modules/contact/sign-in-methods";
import { ProviderKind } from "../../src/modules/social/social.types";

const NOW = new Date("2026-01-01T00:00:00Z");

describe("keepsSignInMethod", () => {
  it("keeps an account with a password, whatever else it loses", () => {
    expect(keepsSignInMethod({ passwordHash: "$2b$12$hash" }, [], NOW)).toBe(true);
  });

  it("keeps an account without a password only while a usable identity remains", () => {
    expect(keepsSignInMethod({ passwordHash: null }, [{ kind: ProviderKind.WECHAT, usableFrom: null }], NOW)).toBe(true);
    expect(keepsSignInMethod({ passwordHash: null }, [], NOW)).toBe(false);
  });

  it("does not count an identity still cooling", () => {
    const cooling = { kind: ProviderKind.QQ, usableFrom: new Date(NOW.getTime() + 1000) };
    expect(keepsSignInMethod({ passwordHash: null }, [cooling], NOW)).toBe(false);
    expect(keepsSignInMethod({ passwordHash: null }, [cooling], cooling.usableFrom)).toBe(true);
  });
});
