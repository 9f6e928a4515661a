import { keepsSignInMethod } from "../../src/modules/contact/sign-in-methods";
import { ProviderKind } from "../../src/modules/social/social.types";

describe("keepsSignInMethod", () => {
  it("keeps an account with a password, whatever else it loses", () => {
    expect(keepsSignInMethod({ passwordHash: "$2b$12$hash" }, [])).toBe(true);
  });

  it("keeps an account without a password only while an identity remains", () => {
    expect(keepsSignInMethod({ passwordHash: null }, [{ kind: ProviderKind.WECHAT }])).toBe(true);
    expect(keepsSignInMethod({ passwordHash: null }, [])).toBe(false);
  });
});
