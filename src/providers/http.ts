import { ProviderError, ProviderErrorCode } from "./provider-error";

export interface VendorResponse {
  readonly status: number;
  readonly text: string;
}

/**
 * One HTTP call to a vendor, bounded by `timeoutMs`. A time-out, a network failure or a 5xx becomes
 * ProviderError(UNAVAILABLE); any other status is returned for the adapter to read.
 */
export async function callVendor(url: string, init: RequestInit, timeoutMs: number): Promise<VendorResponse> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : "network failure";
    throw new ProviderError(ProviderErrorCode.UNAVAILABLE, `${new URL(url).host}: ${reason}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ProviderError(ProviderErrorCode.UNAVAILABLE, `${new URL(url).host}: response cut off`);
  }
  if (response.status >= 500) {
    throw new ProviderError(ProviderErrorCode.UNAVAILABLE, `${new URL(url).host}: HTTP ${response.status}`);
  }
  return { status: response.status, text };
}

/** Parses a vendor's JSON body, or fails with INVALID_RESPONSE. */
export function parseVendorJson<T>(text: string, vendor: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `${vendor}: response is not JSON`);
  }
}
