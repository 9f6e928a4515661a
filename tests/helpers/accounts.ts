import { randomBytes } from "node:crypto";
import type { GraphQLClient } from "./graphql-client";

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) { token expiresAt account { id username } }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on AuthPayload { token expiresAt account { id username } }
    }
  }
`;

export const ME = /* GraphQL */ `
  query Me {
    me { id username avatarUrl createdAt security { hasPassword passwordChangedAt } }
  }
`;

export const AUDIT_TYPES = /* GraphQL */ `
  query Audit { me { auditEvents(first: 100) { nodes { type } } } }
`;

export const DEFAULT_PASSWORD = "Tr0ub4dor&3-horse";

export function uniqueUsername(prefix = "user"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export interface RegisteredUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly token: string;
  readonly client: GraphQLClient;
}

export async function registerUser(client: GraphQLClient, username = uniqueUsername(), password = DEFAULT_PASSWORD): Promise<RegisteredUser> {
  const data = await client.ok(REGISTER, { input: { username, password } });
  const { token, account } = data.register;
  return { id: account.id, username, password, token, client: client.as(token) };
}

export async function auditTypes(client: GraphQLClient): Promise<string[]> {
  const data = await client.ok(AUDIT_TYPES);
  return data.me.auditEvents.nodes.map((node: { type: string }) => node.type);
}
