import type { IdentityCheckResult, IdentityVerifier } from "../types";

export interface DevIdentityVerifier extends IdentityVerifier {
  /**
   * What the local page does when opened: `?result=fail` fails the check, anything else passes it.
   * Null for an unknown check; else where to send the person back, as Alipay does (may be null).
   */
  finish(vendorReference: string, passed: boolean): { returnUrl: string | null } | null;
}

/**
 * Development stand-in for Alipay's face check, served at /dev/identity/<reference>. Results live in
 * this process only: for one developer's machine and tests, never production.
 */
export function createDevIdentityVerifier(publicOrigin: string): DevIdentityVerifier {
  const checks = new Map<string, IdentityCheckResult>();
  const returnUrls = new Map<string, string | null>();
  return {
    id: "dev",
    start(request) {
      const vendorReference = `dev-${request.reference}`;
      checks.set(vendorReference, { status: "PENDING" });
      returnUrls.set(vendorReference, request.returnUrl);
      return Promise.resolve({ vendorReference, verifyUrl: `${publicOrigin}/dev/identity/${vendorReference}` });
    },
    query(vendorReference) {
      return Promise.resolve(
        checks.get(vendorReference) ?? {
          status: "FAILED",
          failureCode: "EXPIRED",
          reason: "The verification expired or does not exist; start it again.",
        },
      );
    },
    finish(vendorReference, passed) {
      if (!checks.has(vendorReference)) return null;
      checks.set(
        vendorReference,
        passed
          ? { status: "PASSED" }
          : {
              status: "FAILED",
              failureCode: "NOT_MATCHED",
              reason: "The face check did not match the ID card photo; try again in good light.",
            },
      );
      return { returnUrl: returnUrls.get(vendorReference) ?? null };
    },
  };
}
