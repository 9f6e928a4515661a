import type { AlipayConfig } from "../../config";
import type { Clock } from "../../core/clock";
import { AlipayGateway } from "../alipay/alipay-gateway";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { OAuthProvider } from "../types";

/** The fields of `alipay_system_oauth_token_response` we use (docs/providers.md §3.7). */
interface OauthTokenNode {
  readonly access_token?: unknown;
  readonly open_id?: unknown;
  readonly user_id?: unknown;
}

/** The fields of `alipay_user_info_share_response` we use (docs/providers.md §3.8); both are omitted when unset. */
interface UserInfoNode {
  readonly nick_name?: unknown;
  readonly avatar?: unknown;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Alipay web login (`auth_user` scope): auth_code → `alipay.system.oauth.token` → `alipay.user.info.share`. */
export function createAlipayProvider(config: AlipayConfig, timeoutMs: number, clock: Clock): OAuthProvider {
  const gateway = new AlipayGateway(config, timeoutMs, clock);
  return {
    kind: "ALIPAY",
    id: "alipay",
    authorizationUrl(state, redirectUri) {
      const query = [
        `app_id=${encodeURIComponent(config.appId)}`,
        "scope=auth_user",
        `redirect_uri=${encodeURIComponent(redirectUri)}`,
        `state=${encodeURIComponent(state)}`,
      ];
      return `${config.authorizeUrl}?${query.join("&")}`;
    },
    // Alipay does not take the redirect URI back at the token step.
    async exchangeCode(code) {
      const token = await gateway.call<OauthTokenNode>("alipay.system.oauth.token", { params: { grant_type: "authorization_code", code } });
      const accessToken = nonEmpty(token.access_token);
      // Apps in OpenID mode get `open_id` instead of the legacy `user_id`.
      const subject = nonEmpty(token.open_id) ?? nonEmpty(token.user_id);
      if (accessToken === undefined || subject === undefined) {
        throw new ProviderError(
          ProviderErrorCode.INVALID_RESPONSE,
          "alipay alipay.system.oauth.token: answer without access_token and open_id/user_id",
        );
      }
      const user = await gateway.call<UserInfoNode>("alipay.user.info.share", { params: { auth_token: accessToken } });
      return { subject, displayName: nonEmpty(user.nick_name) ?? null, avatarUrl: nonEmpty(user.avatar) ?? null };
    },
  };
}
