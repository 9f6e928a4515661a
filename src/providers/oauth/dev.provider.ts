import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { OAuthProvider, OAuthProviderKind } from "../types";

const CODE_TTL_MS = 10 * 60_000;

export interface DevOAuthProvider extends OAuthProvider {
  /** What the local consent page does: `user` consents, and a one-time code for `redirectUri` comes back. */
  consent(user: string, redirectUri: string): string;
}

/**
 * Development stand-in for WeChat, QQ or Alipay, served by this app at /dev/oauth/<provider>/authorize.
 * Codes are single use, tied to their redirect URI, and kept in this process only: it is for one
 * developer's machine and tests, never for production (config refuses DEV_PROVIDERS there).
 */
export function createDevOAuthProvider(kind: OAuthProviderKind, publicOrigin: string, clock: Clock): DevOAuthProvider {
  const codes = new Map<string, { user: string; redirectUri: string; expiresAt: number }>();
  return {
    kind,
    id: "dev",
    authorizationUrl(state, redirectUri) {
      const query = new URLSearchParams({ redirect_uri: redirectUri, state });
      return `${publicOrigin}/dev/oauth/${kind.toLowerCase()}/authorize?${query.toString()}`;
    },
    consent(user, redirectUri) {
      const code = `dev_${randomBytes(16).toString("base64url")}`;
      codes.set(code, { user, redirectUri, expiresAt: clock.now().getTime() + CODE_TTL_MS });
      return code;
    },
    exchangeCode(code, redirectUri) {
      const grant = codes.get(code);
      codes.delete(code);
      if (!grant || grant.redirectUri !== redirectUri || grant.expiresAt <= clock.now().getTime()) {
        return Promise.reject(
          new ProviderError(ProviderErrorCode.REJECTED, `dev ${kind}: unknown, used or expired code`, "dev.code-invalid"),
        );
      }
      return Promise.resolve({
        subject: `dev-${kind.toLowerCase()}-${grant.user}`,
        displayName: `${grant.user} (dev ${kind})`,
        avatarUrl: null,
      });
    },
  };
}
