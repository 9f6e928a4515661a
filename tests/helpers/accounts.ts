import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { SessionEntity } from "../../src/entities";
import type { GraphQLClient } from "./graphql-client";

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      expiresAt
      account {
        id
        username
      }
    }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      result {
        __typename
        ... on AuthPayload {
          token
          expiresAt
          account {
            id
            username
          }
        }
      }
    }
  }
`;

export const ME = /* GraphQL */ `
  query Me {
    me {
      id
      username
      avatarUrl
      createdAt
      security {
        hasPassword
        passwordChangedAt
      }
    }
  }
`;

export const AUDIT_TYPES = /* GraphQL */ `
  query Audit {
    me {
      auditEvents(first: 100) {
        nodes {
          type
        }
      }
    }
  }
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

export async function registerUser(
  client: GraphQLClient,
  username = uniqueUsername(),
  password = DEFAULT_PASSWORD,
): Promise<RegisteredUser> {
  const data = await client.ok(REGISTER, { input: { username, password } });
  const { token, account } = data.register;
  const signedIn = client.as(token);
  return {
    id: account.id,
    username,
    password,
    // A step-up renews the token: this is the one the client sends now.
    get token() {
      return signedIn.token ?? token;
    },
    client: signedIn,
  };
}

export async function auditTypes(client: GraphQLClient): Promise<string[]> {
  const data = await client.ok(AUDIT_TYPES);
  return data.me.auditEvents.nodes.map((node: { type: string }) => node.type);
}

export const REQUEST_PASSWORD_STEP_UP = /* GraphQL */ `
  mutation {
    requestStepUp(input: { method: PASSWORD }) {
      challenge {
        id
        method
        maskedTarget
      }
    }
  }
`;
export const COMPLETE_PASSWORD_STEP_UP = /* GraphQL */ `
  mutation CompletePasswordStepUp($id: ID!, $password: String!) {
    completeStepUp(input: { challengeId: $id, password: $password }) {
      account {
        id
      }
      token
    }
  }
`;

/** Steps up this session by re-entering the password (only offered while the account has no usable second factor). */
export async function stepUpWithPassword(client: GraphQLClient, password = DEFAULT_PASSWORD): Promise<void> {
  const { requestStepUp } = await client.ok(REQUEST_PASSWORD_STEP_UP);
  await completeStepUp(client, COMPLETE_PASSWORD_STEP_UP, { id: requestStepUp.challenge.id, password });
}

/**
 * Runs a mutation that gives the session a new token (its document selects `token`), which must succeed,
 * and has the client send the new token from then on, as the SPA does; the payload.
 */
export async function renewing(
  client: GraphQLClient,
  mutation: "completeStepUp" | "changePassword" | "signOutOtherSessions",
  document: string,
  variables: Record<string, unknown> = {},
) {
  const payload = (await client.ok(document, variables))[mutation];
  client.adopt(payload.token);
  return payload;
}

/** A completeStepUp that must succeed, the client sending the renewed token from then on. */
export function completeStepUp(client: GraphQLClient, document: string, variables: Record<string, unknown>) {
  return renewing(client, "completeStepUp", document, variables);
}

/**
 * A new user whose session has just stepped up with its password, as the account center asks before
 * the first change to a way in (binding an email, enrolling an authenticator, creating an API key).
 */
export async function registerSteppedUp(
  client: GraphQLClient,
  username = uniqueUsername(),
  password = DEFAULT_PASSWORD,
): Promise<RegisteredUser> {
  const user = await registerUser(client, username, password);
  await stepUpWithPassword(user.client, password);
  return user;
}

/**
 * Ends the step-ups of every session of the account, as STEP_UP_TTL_SECONDS passing would, without
 * moving the clock: the clock's offset adds up over a file, and the SMS gateway refuses a skew over 15 min.
 */
export async function letStepUpLapse(app: { dataSource: DataSource }, user: { id: string }): Promise<void> {
  await app.dataSource.getRepository(SessionEntity).update({ accountId: user.id }, { stepUpAt: null });
}

/** Signs in again as a registered user from a client with this User-Agent; a client with the new session's token. */
export async function signInAgain(
  client: GraphQLClient,
  username: string,
  userAgent = "jest",
  password = DEFAULT_PASSWORD,
): Promise<GraphQLClient> {
  const browser = client.with({ "user-agent": userAgent });
  const data = await browser.ok(LOGIN, { input: { identifier: username, password } });
  return browser.as(data.login.result.token);
}
