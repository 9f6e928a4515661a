import ipaddr from "ipaddr.js";

/**
 * The key a per-IP budget counts under. One IPv6 subscriber usually holds a whole /64, so an
 * IPv6 address counts by its first four groups; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as
 * dual-stack sockets report IPv4 clients) counts as its IPv4 address.
 */
export function ipBudgetKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  return `${(address as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}
