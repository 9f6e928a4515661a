import type { Config } from "../config";

/**
 * Whether a URL we will send a browser to (an OAuth redirect_uri, a real-name returnUrl) is on this
 * server's origin or one of REDIRECT_ORIGINS. Anything else would make us an open redirect.
 */
export function isAllowedRedirect(url: string, config: Pick<Config, "publicOrigin" | "redirectOrigins">): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || !["http:", "https:"].includes(parsed.protocol)) return false;
  return [config.publicOrigin, ...config.redirectOrigins].includes(parsed.origin);
}
