import { randomInt } from "node:crypto";
import { completeStepUp } from "./accounts";
import type { GraphQLClient } from "./graphql-client";
import type { TestApp } from "./test-server";

export const START_BINDING = /* GraphQL */ `
  mutation Start($kind: ContactKind!, $address: String!) {
    startContactBinding(input: { kind: $kind, address: $address }) {
      challenge {
        id
        method
        maskedTarget
        expiresAt
        resendAvailableAt
      }
    }
  }
`;
export const CONFIRM_BINDING = /* GraphQL */ `
  mutation Confirm($id: ID!, $code: String!) {
    confirmContactBinding(input: { challengeId: $id, code: $code }) {
      account {
        id
        email {
          kind
          masked
          verifiedAt
        }
        phone {
          kind
          masked
          verifiedAt
        }
      }
    }
  }
`;
export const START_UNBINDING = /* GraphQL */ `
  mutation StartUnbind($kind: ContactKind!) {
    startContactUnbinding(input: { kind: $kind }) {
      challenge {
        id
        method
        maskedTarget
      }
    }
  }
`;
export const CONFIRM_UNBINDING = /* GraphQL */ `
  mutation ConfirmUnbind($id: ID!, $code: String!) {
    confirmContactUnbinding(input: { challengeId: $id, code: $code }) {
      account {
        id
        email {
          masked
        }
        phone {
          masked
        }
      }
    }
  }
`;
export const REQUEST_STEP_UP = /* GraphQL */ `
  mutation StepUp($method: VerificationMethod!) {
    requestStepUp(input: { method: $method }) {
      challenge {
        id
        method
        maskedTarget
      }
    }
  }
`;
export const COMPLETE_STEP_UP = /* GraphQL */ `
  mutation CompleteStepUp($id: ID!, $code: String!) {
    completeStepUp(input: { challengeId: $id, code: $code }) {
      account {
        id
      }
      token
    }
  }
`;

let emailCounter = 0;
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${emailCounter++}@example.com`;
}

/** A valid Chinese mobile number in E.164 that no other test uses. */
export function uniquePhone(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

/** How many codes were already sent to an address, so the next wait picks the new one. */
export function sentCount(app: TestApp, kind: "EMAIL" | "PHONE", address: string): number {
  return kind === "EMAIL" ? app.smtp.mailsTo(address).length : app.smsTo(address).length;
}

export async function codeSentTo(app: TestApp, kind: "EMAIL" | "PHONE", address: string, seen: number): Promise<string> {
  return kind === "EMAIL" ? app.smtp.codeFor(address, seen) : app.smsCodeFor(address, seen);
}

/**
 * Binds an address through the public workflow and returns the confirmed account. `deliveredTo` is
 * the normalised address (E.164 for a phone typed another way).
 */
export async function bindContact(app: TestApp, client: GraphQLClient, kind: "EMAIL" | "PHONE", address: string, deliveredTo = address) {
  const seen = sentCount(app, kind, deliveredTo);
  const { startContactBinding } = await client.ok(START_BINDING, { kind, address });
  const code = await codeSentTo(app, kind, deliveredTo, seen);
  return (await client.ok(CONFIRM_BINDING, { id: startContactBinding.challenge.id, code })).confirmContactBinding.account;
}

/** Proves the bound email (or phone) on this session. */
export async function stepUp(app: TestApp, client: GraphQLClient, method: "EMAIL" | "SMS", address: string): Promise<void> {
  const kind = method === "EMAIL" ? "EMAIL" : "PHONE";
  const seen = sentCount(app, kind, address);
  const { requestStepUp } = await client.ok(REQUEST_STEP_UP, { method });
  const code = await codeSentTo(app, kind, address, seen);
  await completeStepUp(client, COMPLETE_STEP_UP, { id: requestStepUp.challenge.id, code });
}
