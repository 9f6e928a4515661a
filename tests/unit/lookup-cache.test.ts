import { LookupCache } from "../../src/db/lookup-cache";
import { TestClock } from "../helpers/test-clock";

class Row {
  constructor(public name: string) {}
}

/** A lookup that counts its calls and answers when the test says so. */
function controlledLookup() {
  const pending: Array<() => void> = [];
  let calls = 0;
  let name = "first";
  const lookup = async (value: string) => {
    calls++;
    const answer = { main: new Row(`${name}:${value}`), joined: new Row("account") };
    await new Promise<void>((resolve) => pending.push(resolve));
    return answer;
  };
  return {
    lookup,
    calls: () => calls,
    rename: (next: string) => (name = next),
    answerAll: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

async function settle<T>(promise: Promise<T>, control: { answerAll(): void }): Promise<T> {
  await Promise.resolve();
  control.answerAll();
  return promise;
}

describe("LookupCache", () => {
  it("answers a repeated lookup from memory with copies, until the TTL has passed", async () => {
    const clock = new TestClock();
    const control = controlledLookup();
    const cached = new LookupCache(clock, 30).wrap("t", control.lookup);
    const first = await settle(cached.find("k"), control);
    first!.main.name = "changed by a request";
    const second = await cached.find("k");
    expect(control.calls()).toBe(1);
    expect(second!.main).toBeInstanceOf(Row);
    expect(second!.main.name).toBe("first:k");
    clock.advanceSeconds(30);
    await settle(cached.find("k"), control);
    expect(control.calls()).toBe(2);
  });

  it("does not keep what a lookup read while a write emptied the cache", async () => {
    const cache = new LookupCache(new TestClock(), 30);
    const control = controlledLookup();
    const cached = cache.wrap("t", control.lookup);
    const racing = cached.find("k");
    cache.clear(); // a write committed while the lookup was reading
    await settle(racing, control);
    control.rename("after the write");
    expect((await settle(cached.find("k"), control))!.main.name).toBe("after the write:k");
    expect(control.calls()).toBe(2);
  });

  it("patches a cached row in place, and does nothing at TTL 0", async () => {
    const control = controlledLookup();
    const cached = new LookupCache(new TestClock(), 30).wrap("t", control.lookup);
    await settle(cached.find("k"), control);
    cached.patchMain("k", { name: "patched" });
    expect((await cached.find("k"))!.main.name).toBe("patched");

    const off = new LookupCache(new TestClock(), 0).wrap("t", control.lookup);
    await settle(off.find("k"), control);
    await settle(off.find("k"), control);
    expect(control.calls()).toBe(3);
  });
});
