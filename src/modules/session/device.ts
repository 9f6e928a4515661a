import { LRUCache } from "lru-cache";
import { UAParser } from "ua-parser-js";
import { type Device, DeviceType, type Software } from "./session.types";

const TYPES: Record<string, DeviceType> = {
  mobile: DeviceType.MOBILE,
  tablet: DeviceType.TABLET,
  smarttv: DeviceType.TV,
  console: DeviceType.CONSOLE,
  wearable: DeviceType.WEARABLE,
  embedded: DeviceType.EMBEDDED,
};

/** A device's parts, each as its id: the Device and Software ids are made of what they say. */
function device(type: DeviceType, browser: Software | null, os: Software | null): Device {
  return { id: [type, browser?.id ?? "", os?.id ?? ""].join(":"), type, browser, os };
}

const UNKNOWN = device(DeviceType.UNKNOWN, null, null);

/** An account's sessions and log share a few user agents, and parsing one takes ~0.1 ms: parse each once. */
const parsed = new LRUCache<string, Device>({ max: 1000 });

function software(part: { name?: string; version?: string }): Software | null {
  if (!part.name) return null;
  // Encoded, so the separators below cannot occur inside a part.
  return {
    id: `${encodeURIComponent(part.name)}/${encodeURIComponent(part.version ?? "")}`,
    name: part.name,
    version: part.version ?? null,
  };
}

/** What a user agent string says: ua-parser-js names no type for computers, so a recognised browser or OS without one is a DESKTOP. */
export function parseDevice(userAgent: string | null): Device {
  if (!userAgent) return UNKNOWN;
  const cached = parsed.get(userAgent);
  if (cached) return cached;
  const result = new UAParser(userAgent).getResult();
  const browser = software(result.browser);
  const os = software(result.os);
  const named = result.device.type ? TYPES[result.device.type] : undefined;
  const answer = device(named ?? (browser || os ? DeviceType.DESKTOP : DeviceType.UNKNOWN), browser, os);
  parsed.set(userAgent, answer);
  return answer;
}
