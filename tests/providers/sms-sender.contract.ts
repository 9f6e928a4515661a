import { systemClock, type Clock } from "../../src/core/clock";
import { ProviderErrorCode } from "../../src/providers/provider-error";
import type { SmsMessage, SmsSender } from "../../src/providers/types";
import type { FaultControls } from "../fakes/vendor-server";
import { failure } from "../helpers/provider-failure";
import { recordVendorCalls } from "../helpers/vendor-calls";

export const PHONE = "+8613812345678";
export const CODE: SmsMessage = { kind: "CODE", code: "482913" };

/** An SMS adapter and its fake gateway, as the contract drives them; what differs between vendors is data here. */
export interface SmsVendor<Config> {
  readonly name: string;
  /** The running fake; read inside tests only (the vendor's file starts it). */
  fake(): FaultControls & { readonly url: string; readonly messages: unknown[] };
  sender(overrides?: Partial<Config>, timeoutMs?: number, clock?: Clock): SmsSender;
  /** What the fake records for CODE sent to PHONE, and for a notice labelled `label`. */
  readonly sentCode: unknown;
  sentNotice(label: string): unknown;
  /** The delivery id in the gateway's answer to a send (after checking the answer's vendor-specific shape). */
  deliveryIdIn(responseText: string): string;
  readonly withoutNoticeTemplate: Partial<Config>;
  /** A wrong secret (which must not reach the error message) and the gateway's code for its signature. */
  readonly wrongSecret: { readonly overrides: Partial<Config>; readonly secret: string; readonly vendorCode: string };
  readonly unknownKey: { readonly overrides: Partial<Config>; readonly vendorCode: string };
  /** The gateway's code for a request signed 20 minutes off its clock. */
  readonly expiredCode: string;
  /** Vendor error codes and what the adapter makes of them, with a message the gateway might send. */
  readonly errorCodes: ReadonlyArray<readonly [string, ProviderErrorCode]>;
  readonly errorMessage?: string;
  /** A number the gateway refuses, and its code for it. */
  readonly badNumber: { readonly phone: string; readonly vendorCode: string };
}

/** What every SMS adapter does against its vendor's gateway, written once and run for each vendor. */
export function smsSenderContract<Config>(vendor: SmsVendor<Config>): void {
  describe(`${vendor.name} SMS adapter against its fake gateway: the SmsSender contract`, () => {
    beforeEach(() => {
      vendor.fake().messages.length = 0;
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("sends a code with the code template and returns the gateway's delivery id", async () => {
      const calls = recordVendorCalls();
      const receipt = await vendor.sender().send(PHONE, CODE);
      expect(vendor.fake().messages).toEqual([vendor.sentCode]);
      expect(calls).toHaveLength(1);
      expect(calls[0].url).toBe(`${vendor.fake().url}/`);
      expect(receipt).toEqual({ deliveryId: vendor.deliveryIdIn(calls[0].responseText) });
    });

    it.each([
      ["PASSWORD_CHANGED", "密码已修改"],
      ["PASSWORD_RESET", "密码已重置"],
    ] as const)("sends the security notice %s with the notice template and its Chinese label", async (event, label) => {
      await vendor.sender().send(PHONE, { kind: "NOTICE", event });
      expect(vendor.fake().messages).toEqual([vendor.sentNotice(label)]);
    });

    it("refuses a notice without a notice template, sending nothing", async () => {
      const fetchSpy = jest.spyOn(global, "fetch");
      const error = await failure(vendor.sender(vendor.withoutNoticeTemplate).send(PHONE, { kind: "NOTICE", event: "CONTACT_BOUND" }));
      expect(error.code).toBe(ProviderErrorCode.UNSUPPORTED);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(vendor.fake().messages).toEqual([]);
    });

    it("is refused when signed with a wrong secret, without leaking the secret or the number", async () => {
      const error = await failure(vendor.sender(vendor.wrongSecret.overrides).send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.wrongSecret.vendorCode);
      expect(error.message).not.toContain(vendor.wrongSecret.secret);
      expect(error.message).not.toContain(PHONE.slice(3));
      expect(vendor.fake().messages).toEqual([]);
    });

    it("is refused for an unknown access key", async () => {
      const error = await failure(vendor.sender(vendor.unknownKey.overrides).send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.unknownKey.vendorCode);
    });

    it.each([-20, 20])("is refused when the clock is %i minutes off", async (minutes) => {
      const skewed: Clock = { now: () => new Date(systemClock.now().getTime() + minutes * 60 * 1000) };
      const error = await failure(vendor.sender({}, 5000, skewed).send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.expiredCode);
    });

    it.each(vendor.errorCodes)("maps the vendor code %s to %s", async (code, expected) => {
      vendor.fake().failNext(code, vendor.errorMessage);
      const error = await failure(vendor.sender().send(PHONE, CODE));
      expect(error.code).toBe(expected);
      expect(error.vendorCode).toBe(code);
      expect(vendor.fake().messages).toEqual([]);
    });

    it("is refused for a number that is not one", async () => {
      const error = await failure(vendor.sender().send(vendor.badNumber.phone, CODE));
      expect(error.code).toBe(ProviderErrorCode.REJECTED);
      expect(error.vendorCode).toBe(vendor.badNumber.vendorCode);
    });

    it("gives up on a hung gateway after timeoutMs", async () => {
      vendor.fake().hangNext();
      const started = Date.now();
      const error = await failure(vendor.sender({}, 300).send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("treats HTTP 500 as unavailable", async () => {
      vendor.fake().failNextWithStatus(500);
      const error = await failure(vendor.sender().send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.UNAVAILABLE);
    });

    it("treats a non-JSON 200 as an invalid response", async () => {
      vendor.fake().failNextWithStatus(200);
      const error = await failure(vendor.sender().send(PHONE, CODE));
      expect(error.code).toBe(ProviderErrorCode.INVALID_RESPONSE);
    });
  });
}
