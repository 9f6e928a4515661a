/** What `withinDeadline` answers when the work was not done in time. */
export const PAST_DEADLINE = Symbol("past deadline");

/**
 * `work`'s outcome, or PAST_DEADLINE once `ms` have passed, whichever comes first; the timer is
 * cleared either way, and the work runs on to its own end (a promise cannot be stopped from outside).
 * Hand-written: Node's timers offer no race that clears its timer when the work wins.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof PAST_DEADLINE> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof PAST_DEADLINE>((resolve) => {
    timer = setTimeout(resolve, ms, PAST_DEADLINE);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
