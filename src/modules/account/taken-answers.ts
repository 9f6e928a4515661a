import { ipBudgetKey } from "../../core/ip-key";
import { consumeAll, refundAll, type RateLimiter, type Spend } from "../../core/rate-limiter";
import type { RequestMeta } from "../../graphql/context";

/**
 * The budget of look-ups that can answer "taken" (an address to bind, a username): each such answer
 * tells that somebody holds the name, so an account and an IP get only so many. A point of each is
 * reserved before the look-up and given back when the answer is "free". Once a budget is spent every
 * look-up is refused alike, so the refusal itself tells nothing.
 */
export class TakenAnswers {
  constructor(
    private readonly byAccount: RateLimiter,
    private readonly byIp: RateLimiter,
  ) {}

  async isTaken(accountId: string, meta: RequestMeta, lookUp: () => Promise<boolean>): Promise<boolean> {
    const spends: Spend[] = [
      [this.byAccount, accountId],
      [this.byIp, ipBudgetKey(meta.ip)],
    ];
    await consumeAll(spends);
    let taken = false;
    try {
      taken = await lookUp();
      return taken;
    } finally {
      if (!taken) await refundAll(spends);
    }
  }
}
