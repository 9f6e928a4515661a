import { LookupCache } from "../../src/db/lookup-cache";
import { TestClock } from "../helpers/test-clock";

class Row {
  constructor(
    public name: string,
    public id = name,
  ) {}
}

/** A lookup of sessions joined with their accounts, as the cache sees one. */
function ofSessions<T>(lookup: (value: string) => Promise<T>) {
  return Object.assign(lookup, { tables: { main: "session", joined: "account" } });
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
    lookup: ofSessions(lookup),
    calls: () => calls,
    rename: (next: string) => (name = next),
    answerAll: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

/** Token t-<account>-<n> is session s-<account>-<n> of account <account>; `calls` lists the tokens looked up. */
function sessionsByToken(cache: LookupCache) {
  const calls: string[] = [];
  const cached = cache.wrap(
    ofSessions((token: string) => {
      calls.push(token);
      const [, account, n] = token.split("-");
      return Promise.resolve({ main: new Row(token, `s-${account}-${n}`), joined: new Row(account) });
    }),
  );
  return { cached, calls };
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
    const cached = new LookupCache(clock, 30).wrap(control.lookup);
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
    const cached = cache.wrap(control.lookup);
    const racing = cached.find("k");
    cache.clear(); // a write committed while the lookup was reading
    await settle(racing, control);
    control.rename("after the write");
    expect((await settle(cached.find("k"), control))!.main.name).toBe("after the write:k");
    expect(control.calls()).toBe(2);
  });

  it("drops only the rows a write touched", async () => {
    const cache = new LookupCache(new TestClock(), 30);
    const { cached, calls } = sessionsByToken(cache);
    const tokens = ["t-a-1", "t-a-2", "t-b-1", "t-c-1"];
    const readAll = async () => {
      calls.length = 0;
      for (const token of tokens) await cached.find(token);
      return [...calls];
    };
    await readAll();
    cache.invalidate({ table: "session", accountIds: ["a"], ids: ["s-a-1"] });
    expect(await readAll()).toEqual(["t-a-1"]);
    cache.invalidate({ table: "account", accountIds: ["a"], ids: ["a"] });
    expect(await readAll()).toEqual(["t-a-1", "t-a-2"]);
    cache.invalidate({ table: "session", accountIds: ["b"], ids: null }); // every session of one account
    expect(await readAll()).toEqual(["t-b-1"]);
    cache.invalidate({ table: "api_key", accountIds: null, ids: null }); // another lookup's table
    expect(await readAll()).toEqual([]);
    cache.invalidate({ table: "session", accountIds: null, ids: null }); // a write that did not say which row
    expect(await readAll()).toEqual(tokens);
  });

  it("does not keep what a lookup read while a write touched its account's rows, or rows it did not name", async () => {
    const cache = new LookupCache(new TestClock(), 30);
    const control = controlledLookup();
    const cached = cache.wrap(control.lookup);
    const reads = async (key: string, write: () => void) => {
      const before = control.calls();
      const racing = cached.find(key);
      write();
      await settle(racing, control);
      await settle(cached.find(key), control);
      return control.calls() - before;
    };
    // Another account's rows: what the lookup read is kept.
    expect(await reads("a", () => cache.invalidate({ table: "account", accountIds: ["someone"], ids: ["someone"] }))).toBe(1);
    // Its own account's (known only once the lookup answers), or any row: it is not.
    expect(await reads("b", () => cache.invalidate({ table: "session", accountIds: ["account"], ids: ["another session"] }))).toBe(2);
    expect(await reads("c", () => cache.invalidate({ table: "account", accountIds: null, ids: null }))).toBe(2);
  });

  it("finds an account's rows for its writes after they expired, were evicted or were read again, and forgets accounts it holds nothing of", async () => {
    const clock = new TestClock();
    const cache = new LookupCache(clock, 30);
    const { cached, calls } = sessionsByToken(cache);
    const misses = async (token: string) => {
      calls.length = 0;
      await cached.find(token);
      return calls.length;
    };
    await cached.find("t-a-1");
    clock.advanceSeconds(30);
    expect(await misses("t-a-1")).toBe(1); // expired, read again
    expect(await misses("t-a-1")).toBe(0);
    cache.invalidate({ table: "session", accountIds: ["a"], ids: ["s-a-1"] });
    expect(await misses("t-a-1")).toBe(1);

    // 10 000 other rows evict it; read again, its account's write still finds it.
    for (let i = 0; i < 10_000; i++) await cached.find(`t-x${i}-1`);
    expect(await misses("t-a-1")).toBe(1);
    cache.invalidate({ table: "account", accountIds: ["a"], ids: ["a"] });
    expect(await misses("t-a-1")).toBe(1);
    // The index holds the accounts of the 10 000 rows cached now, no more.
    expect((cache as unknown as { keysByAccount: Map<string, Set<string>> }).keysByAccount.size).toBe(10_000);
    cache.clear();
    expect((cache as unknown as { keysByAccount: Map<string, Set<string>> }).keysByAccount.size).toBe(0);
  });

  it("patches a cached row in place, and does nothing at TTL 0", async () => {
    const control = controlledLookup();
    const cached = new LookupCache(new TestClock(), 30).wrap(control.lookup);
    await settle(cached.find("k"), control);
    cached.patchMain("k", { name: "patched" });
    expect((await cached.find("k"))!.main.name).toBe("patched");

    const off = new LookupCache(new TestClock(), 0).wrap(control.lookup);
    await settle(off.find("k"), control);
    await settle(off.find("k"), control);
    expect(control.calls()).toBe(3);
  });
});

describe("LookupCache bounds", () => {
  it("keeps at most 10 000 rows across its lookups, dropping the least recently used", async () => {
    const calls = { a: 0, b: 0 };
    const counted = (side: "a" | "b") =>
      ofSessions((value: string) => {
        calls[side]++;
        return Promise.resolve({ main: new Row(value), joined: new Row("account") });
      });
    const cache = new LookupCache(new TestClock(), 30);
    const a = cache.wrap(counted("a"));
    const b = cache.wrap(counted("b"));
    for (let i = 0; i < 9_000; i++) await a.find(`a${i}`);
    for (let i = 0; i < 1_000; i++) await b.find(`b${i}`);
    await b.find("b-new"); // full: a0, the least recently used, goes
    expect(calls).toEqual({ a: 9_000, b: 1_001 });
    await a.find("a1");
    await b.find("b0");
    await b.find("b-new");
    expect(calls).toEqual({ a: 9_000, b: 1_001 });
    await a.find("a0");
    expect(calls.a).toBe(9_001);
  });

  it("gives back Dates patched into a row as new Dates", async () => {
    class Session {
      constructor(
        public lastSeenAt: Date,
        public id = "session",
      ) {}
    }
    const cached = new LookupCache(new TestClock(), 30).wrap(
      ofSessions(() => Promise.resolve({ main: new Session(new Date(0)), joined: new Row("account") })),
    );
    await cached.find("k");
    const seen = new Date(60_000);
    cached.patchMain("k", { lastSeenAt: seen });
    const hit = (await cached.find("k"))!.main;
    expect(hit.lastSeenAt).toEqual(seen);
    expect(hit.lastSeenAt).not.toBe(seen);
  });
});
