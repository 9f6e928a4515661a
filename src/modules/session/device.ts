import { LRUCache } from "lru-cache";
import { UAParser } from "ua-parser-js";
import { Device, DeviceType } from "./session.types";

const TYPES: Record<string, DeviceType> = {
  mobile: DeviceType.MOBILE,
  tablet: DeviceType.TABLET,
  smarttv: DeviceType.TV,
  console: DeviceType.CONSOLE,
  wearable: DeviceType.WEARABLE,
  embedded: DeviceType.EMBEDDED,
};

const UNKNOWN: Device = { type: DeviceType.UNKNOWN, browser: null, os: null };

/** An account's sessions and log share a few user agents, and parsing one takes ~0.1 ms: parse each once. */
const parsed = new LRUCache<string, Device>({ max: 1000 });

function software(part: { name?: string; version?: string }): Device["browser"] {
  return part.name ? { name: part.name, version: part.version ?? null } : null;
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
  const device: Device = { type: named ?? (browser || os ? DeviceType.DESKTOP : DeviceType.UNKNOWN), browser, os };
  parsed.set(userAgent, device);
  return device;
}
