import { consumeAll, createRateLimiterFactory, refundAll } from "../../src/core/rate-limiter";

const limiter = createRateLimiterFactory(undefined, "unit");
const budget = (name: string, points = 2) => limiter(name, { points, durationSeconds: 60 });

async function grants(spend: () => Promise<void>): Promise<boolean> {
  try {
    await spend();
    return true;
  } catch (error) {
    expect((error as { extensions?: { code?: string } }).extensions?.code).toBe("RATE_LIMITED");
    return false;
  }
}

describe("RateLimiter", () => {
  it("grants exactly its points to parallel consumes, and a refused one costs nothing", async () => {
    const b = budget("parallel", 3);
    const results = await Promise.all(Array.from({ length: 20 }, () => grants(() => b.consume("k"))));
    expect(results.filter(Boolean)).toHaveLength(3);
    await b.refund("k");
    expect(await grants(() => b.consume("k"))).toBe(true);
    expect(await grants(() => b.consume("k"))).toBe(false);
    await b.reset("k");
    expect(await grants(() => b.consume("k"))).toBe(true);
  });

  it("consumeAll gives back what it reserved when a later budget refuses", async () => {
    const first = budget("first");
    const second = budget("second", 1);
    await second.consume("b");
    expect(
      await grants(() =>
        consumeAll([
          [first, "a"],
          [second, "b"],
        ]),
      ),
    ).toBe(false);
    // Both of first's points are still there.
    expect(
      await grants(() =>
        consumeAll([
          [first, "a"],
          [first, "a"],
        ]),
      ),
    ).toBe(true);
    await refundAll([[first, "a"]]);
    expect(await grants(() => first.consume("a"))).toBe(true);
    expect(await grants(() => first.consume("a"))).toBe(false);
  });
});
