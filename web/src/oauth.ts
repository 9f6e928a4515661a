import type { ProviderKind } from "./gql/graphql";

/** A provider round trip this tab started: what to do with the code, and the state to expect back. */
export interface ProviderFlow {
  intent: "bind" | "login";
  provider: ProviderKind;
  state: string;
  /** The page to go back to afterwards. */
  from: string;
}

const FLOW_KEY = "account-center.oauth";

/** Where providers send the browser back: the SPA's callback route on this origin. */
export function callbackUri(): string {
  return `${location.origin}/oauth/callback`;
}

export function rememberFlow(flow: ProviderFlow): void {
  sessionStorage.setItem(FLOW_KEY, JSON.stringify(flow));
}

/** The flow started in this tab, removed so a reloaded or replayed callback cannot use it twice. */
export function takeFlow(): ProviderFlow | null {
  const saved = sessionStorage.getItem(FLOW_KEY);
  sessionStorage.removeItem(FLOW_KEY);
  return saved ? (JSON.parse(saved) as ProviderFlow) : null;
}
