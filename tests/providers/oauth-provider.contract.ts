import { ProviderErrorCode } from "../../src/providers/provider-error";
import type { OAuthProfile, OAuthProvider } from "../../src/providers/types";
import type { FaultControls } from "../fakes/vendor-server";
import { failure } from "../helpers/provider-failure";
import type { TestClock } from "../helpers/test-clock";
import { failCall } from "../helpers/vendor-calls";

/** A social-login adapter and its fake, as the contract drives them; what differs between vendors is data here. */
export interface OAuthVendor<Config> {
  /** The adapter's id, which starts its error messages. */
  readonly id: string;
  readonly name: string;
  /** The running fake; read inside tests only (the vendor's file starts it). */
  fake(): FaultControls & { readonly requests: string[] };
  readonly clock: TestClock;
  provider(overrides?: Partial<Config>, timeoutMs?: number): OAuthProvider;
  readonly redirectUri: string;
  /** The authorize URL for state `st/8+x y` and redirectUri, with the parameters in the documented order. */
  readonly authorizeUrl: { readonly overrides: Partial<Config>; readonly expected: string };
  /** Issues a code for someone with a unionid, or without one, and the profile the adapter makes of them. */
  issueCode(person: "withUnionId" | "withoutUnionId"): string;
  readonly profiles: { readonly withUnionId: OAuthProfile; readonly withoutUnionId: OAuthProfile };
  /** The vendor's endpoints, in the order one sign-in calls them. */
  readonly paths: readonly string[];
  readonly usedCode: { readonly vendorCode: string; readonly message: RegExp };
  readonly unknownCode: { readonly code: string; readonly vendorCode: string };
  /** The vendor's code for a code older than its 10 minutes. */
  readonly expiredCode: string;
  readonly wrongSecret: { readonly overrides: Partial<Config>; readonly secret: string; readonly vendorCode: string };
  readonly unknownApp: { readonly overrides: Partial<Config>; readonly vendorCode: string };
  /** The app secret, which must never reach an error message. */
  readonly secret: string;
  /** An error for each call (1-based), echoed back to see that secrets are masked. */
  readonly callErrors: readonly string[];
  /** Vendor codes on the n-th call and what the adapter makes of them. */
  readonly errorCodes: ReadonlyArray<readonly [number, string, ProviderErrorCode]>;
}

/** What every social-login adapter does against its vendor, written once and run for each vendor. */
export function oauthProviderContract<Config>(vendor: OAuthVendor<Config>): void {
  describe(`${vendor.name} adapter against its fake: the OAuthProvider contract`, () => {
    const exchange = (code: string, provider = vendor.provider()) => provider.exchangeCode(code, vendor.redirectUri);

    beforeEach(() => {
      vendor.fake().requests.length = 0;
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("builds the authorize URL with the parameters in the documented order", () => {
      expect(vendor.provider(vendor.authorizeUrl.overrides).authorizationUrl("st/8+x y", vendor.redirectUri)).toBe(
        vendor.authorizeUrl.expected,
      );
    });

    it("exchanges a code for the unionid, nickname and avatar, calling each endpoint once", async () => {
      expect(await exchange(vendor.issueCode("withUnionId"))).toEqual(vendor.profiles.withUnionId);
      expect(vendor.fake().requests.map((request) => new URL(request, "http://fake").pathname)).toEqual(vendor.paths);
    });

    it("binds the openid when the vendor gives no unionid, with its fallback avatar", async () => {
      expect(await exchange(vendor.issueCode("withoutUnionId"))).toEqual(vendor.profiles.withoutUnionId);
    });

    it("refuses a code used twice", async () => {
      const code = vendor.issueCode("withUnionId");
      await exchange(code);
      const error = await failure(exchange(code));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.usedCode.vendorCode);
      expect(error.message).toMatch(vendor.usedCode.message);
    });

    it("refuses an unknown code", async () => {
      const error = await failure(exchange(vendor.unknownCode.code));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.unknownCode.vendorCode);
    });

    it("refuses a code older than 10 minutes", async () => {
      const code = vendor.issueCode("withUnionId");
      vendor.clock.advanceSeconds(601);
      const error = await failure(exchange(code));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.expiredCode);
    });

    it("is refused for a wrong secret, without the secret in the message", async () => {
      const error = await failure(exchange(vendor.issueCode("withUnionId"), vendor.provider(vendor.wrongSecret.overrides)));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.wrongSecret.vendorCode);
      expect(error.message).not.toContain(vendor.wrongSecret.secret);
    });

    it("is refused for an unknown app id", async () => {
      const error = await failure(exchange(vendor.issueCode("withUnionId"), vendor.provider(vendor.unknownApp.overrides)));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.unknownApp.vendorCode);
    });

    it.each(vendor.errorCodes)("on call %i, maps code %s to %s", async (call, code, expected) => {
      failCall(vendor.fake(), call, code);
      const error = await failure(exchange(vendor.issueCode("withUnionId")));
      expect(error.code).toBe(expected);
      expect(error.vendorCode).toBe(code);
      expect(vendor.fake().requests).toHaveLength(call);
    });

    it("can retry a code after a failed token call: the failure did not spend it", async () => {
      const code = vendor.issueCode("withUnionId");
      failCall(vendor.fake(), 1, vendor.callErrors[0]);
      await failure(exchange(code));
      jest.restoreAllMocks();
      expect(await exchange(code)).toEqual(vendor.profiles.withUnionId);
    });

    it.each(vendor.callErrors.map((code, i) => [i + 1, code] as const))(
      "masks the secret and the access token in an error of call %i (%s) that echoes them",
      async (call, code) => {
        let echoed = "";
        let token = "";
        failCall(vendor.fake(), call, code, (url) => {
          token = url.searchParams.get("access_token") ?? "";
          echoed = `echoing ${url.search} for ${vendor.secret}`;
          return echoed;
        });
        const error = await failure(exchange(vendor.issueCode("withUnionId")));
        if (call > 1) expect(token).not.toBe("");
        const masked = [vendor.secret, token].filter(Boolean).reduce((text, value) => text.split(value).join("***"), echoed);
        expect(error.message).toBe(`${vendor.id} ${vendor.paths[call - 1]} failed: ${code} ${masked}`);
      },
    );

    it("gives up on a hung API after timeoutMs", async () => {
      vendor.fake().hangNext();
      const started = Date.now();
      const error = await failure(exchange(vendor.issueCode("withUnionId"), vendor.provider({}, 300)));
      expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("treats HTTP 502 as unavailable", async () => {
      vendor.fake().failNextWithStatus(502);
      const error = await failure(exchange(vendor.issueCode("withUnionId")));
      expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    });

    it("treats a non-JSON 200 as an invalid response", async () => {
      vendor.fake().failNextWithStatus(200);
      const error = await failure(exchange(vendor.issueCode("withUnionId")));
      expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    });
  });
}
