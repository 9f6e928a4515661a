import { ipBudgetKey } from "../../src/core/ip-key";

describe("ipBudgetKey: what a per-IP budget counts under", () => {
  it("keeps an IPv4 address as it is", () => {
    expect(ipBudgetKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts every address of one IPv6 /64 as one, however it is written", () => {
    const key = ipBudgetKey("2001:db8:85a3:12::1");
    expect(key).toBe("2001:db8:85a3:12::/64");
    expect(ipBudgetKey("2001:0db8:85a3:0012:ffff:ffff:ffff:fffe")).toBe(key);
    expect(ipBudgetKey("2001:DB8:85A3:12:0:0:0:99")).toBe(key);
    expect(ipBudgetKey("2001:db8:85a3:12::1%eth0")).toBe(key);
    expect(ipBudgetKey("2001:db8:85a3:13::1")).not.toBe(key);
    expect(ipBudgetKey("::1")).toBe("0:0:0:0::/64");
    expect(ipBudgetKey("::")).toBe("0:0:0:0::/64");
    expect(ipBudgetKey("fe80::1:2:3.4.5.6")).toBe("fe80:0:0:0::/64");
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(ipBudgetKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(ipBudgetKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(ipBudgetKey("0:0:0:0:0:ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("puts requests without a known address under one key", () => {
    expect(ipBudgetKey(null)).toBe("unknown");
  });
});
