import { isIPv4, isIPv6 } from "node:net";

/**
 * The key a per-IP budget counts under. One IPv6 subscriber usually holds a whole /64, so an
 * IPv6 address counts by its first four groups; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as
 * dual-stack sockets report IPv4 clients) counts as its IPv4 address.
 */
export function ipBudgetKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const groups = ipv6Groups(ip);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

/**
 * The eight 16-bit groups of a valid IPv6 address (zone id dropped). Hand-written: the parser
 * express uses (ipaddr.js) is not a dependency of ours, and this is all we need of one.
 */
function ipv6Groups(ip: string): number[] {
  let text = ip.replace(/%.*$/, "");
  const ipv4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail.slice(1).map(Number);
    text = `${text.slice(0, ipv4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const first = parse(head);
  const last = parse(tail);
  return [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
}
