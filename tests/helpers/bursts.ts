import type { GraphQLResponse } from "./graphql-client";

/** The first error's code of an answer, or "OK". */
export function codeOf(response: GraphQLResponse): string {
  return response.errors?.[0]?.extensions?.code ?? "OK";
}

/** How many answers had each code, e.g. `{ INVALID_CREDENTIALS: 10, RATE_LIMITED: 40 }`. */
export function tally(responses: GraphQLResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) counts[codeOf(response)] = (counts[codeOf(response)] ?? 0) + 1;
  return counts;
}

/**
 * Fires `count` calls at once, and once `checkedBefore` of them have answered (so at least that
 * many reservations are made), one more, `last`, while the rest are still in flight. Returns the
 * burst's answers and the last call's.
 */
export async function burstThen(
  count: number,
  call: (i: number) => Promise<GraphQLResponse>,
  checkedBefore: number,
  last: () => Promise<GraphQLResponse>,
): Promise<{ burst: GraphQLResponse[]; last: GraphQLResponse }> {
  const calls = Array.from({ length: count }, (_, i) => call(i));
  let answered = 0;
  await new Promise<void>((resolve, reject) => {
    for (const pending of calls) {
      pending.then(() => ++answered === checkedBefore && resolve(), reject);
    }
  });
  const lastAnswer = await last();
  return { burst: await Promise.all(calls), last: lastAnswer };
}
