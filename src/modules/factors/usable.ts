/**
 * A factor added without a step-up (the account had nothing to step up with) cools for
 * NEW_FACTOR_COOLDOWN_SECONDS: until then it serves for no step-up, two-step sign-in or password
 * reset, so a stolen session cannot bootstrap its own way in, and the owner has a day to notice.
 */
export interface MaybeCooling {
  readonly usableFrom: Date | null;
}

export function isUsable(factor: MaybeCooling, now: Date): boolean {
  return factor.usableFrom === null || factor.usableFrom <= now;
}

/** What a client sees: the time a factor becomes usable while it is still cooling, else null. */
export function coolingUntil(factor: MaybeCooling, now: Date): Date | null {
  return isUsable(factor, now) ? null : factor.usableFrom;
}
