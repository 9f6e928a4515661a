import type { FaultControls } from "../fakes/vendor-server";

/** One request an adapter made, as sent, and the text of the answer it got. */
export interface VendorCall {
  readonly url: string;
  readonly init: RequestInit;
  /** The request body; adapters send text. */
  readonly body: string;
  readonly responseText: string;
}

function urlOf(input: string | URL | Request): string {
  return input instanceof Request ? input.url : input.toString();
}

/** Lets the real fetch run while keeping each request and the text of its response; `rewrite` may alter that text. */
export function recordVendorCalls(rewrite: (text: string) => string = (text) => text): VendorCall[] {
  const calls: VendorCall[] = [];
  const realFetch = global.fetch;
  jest.spyOn(global, "fetch").mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    const responseText = rewrite(await response.text());
    const body = typeof init?.body === "string" ? init.body : "";
    calls.push({ url: urlOf(input), init: init ?? {}, body, responseText });
    return new Response(responseText, { status: response.status, headers: response.headers });
  });
  return calls;
}

/** Makes `fake` answer the vendor error `code` to the n-th vendor call (1-based); the message may quote that call's URL. */
export function failCall(fake: FaultControls, n: number, code: string, message: (url: URL) => string = () => `${code} (injected)`): void {
  const realFetch = global.fetch;
  let calls = 0;
  jest.spyOn(global, "fetch").mockImplementation((input, init) => {
    calls += 1;
    if (calls === n) fake.failNext(code, message(new URL(urlOf(input))));
    return realFetch(input, init);
  });
}
