import type { GraphQLClient } from "./graphql-client";
import type { TestApp } from "./test-server";

export const START_BINDING = `mutation($p: ProviderKind!, $r: String!) { startProviderBinding(input: { provider: $p, redirectUri: $r }) { authorization { provider authorizeUrl qrCodeDataUrl state expiresAt } } }`;
export const COMPLETE_BINDING = `mutation($p: ProviderKind!, $c: String!, $s: String!) { completeProviderBinding(input: { provider: $p, code: $c, state: $s }) { account { id identities { nodes { provider displayName avatarUrl boundAt } } capabilities { canWithdraw } } } }`;
export const UNBIND = `mutation($p: ProviderKind!) { unbindProvider(input: { provider: $p }) { account { identities { nodes { provider } } } } }`;
export const START_LOGIN = `mutation($p: ProviderKind!, $r: String!) { startProviderLogin(input: { provider: $p, redirectUri: $r }) { authorization { authorizeUrl state } } }`;
export const LOGIN_WITH = /* GraphQL */ `
  mutation ($p: ProviderKind!, $c: String!, $s: String!) {
    loginWithProvider(input: { provider: $p, code: $c, state: $s }) {
      result {
        __typename
        ... on AuthPayload {
          token
          account {
            id
            username
          }
        }
        ... on TwoStepChallenge {
          id
          methods
        }
      }
    }
  }
`;

/** The SPA's callback page on this server's origin. */
export function callbackUrl(app: TestApp): string {
  return `${new URL(app.url).origin}/oauth/callback`;
}

/**
 * Follows the authorize URL the way a browser does, up to the redirect back to the SPA, and returns
 * the code and state the provider put on it (`auth_code` for Alipay).
 */
export async function consent(authorizeUrl: string, user?: string): Promise<{ code: string; state: string }> {
  const url = new URL(authorizeUrl);
  if (user) url.searchParams.set("user", user);
  const response = await fetch(url, { redirect: "manual" });
  if (response.status !== 302) throw new Error(`the consent page answered ${response.status}`);
  const back = new URL(response.headers.get("location")!);
  return { code: back.searchParams.get("code") ?? back.searchParams.get("auth_code")!, state: back.searchParams.get("state")! };
}

/** Binds a provider account of the dev stand-in (`user` picks the fake person) to the client's account. */
export async function bindProvider(app: TestApp, client: GraphQLClient, provider: string, user: string) {
  const { startProviderBinding } = await client.ok(START_BINDING, { p: provider, r: callbackUrl(app) });
  const { code, state } = await consent(startProviderBinding.authorization.authorizeUrl, user);
  return (await client.ok(COMPLETE_BINDING, { p: provider, c: code, s: state })).completeProviderBinding.account;
}
