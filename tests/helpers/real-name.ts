import type { GraphQLClient } from "./graphql-client";

export const START_REAL_NAME = /* GraphQL */ `
  mutation StartRealNameVerification($input: StartRealNameVerificationInput!) {
    startRealNameVerification(input: $input) {
      realName {
        status
        verifyUrl
      }
    }
  }
`;

/** Starts a real-name check on a session that may (stepped up, or nothing to step up with); its provider's verifyUrl. */
export async function startRealName(client: GraphQLClient, legalName: string, idNumber: string): Promise<string> {
  const { startRealNameVerification } = await client.ok(START_REAL_NAME, { input: { legalName, idNumber } });
  return startRealNameVerification.realName.verifyUrl as string;
}
