import { FieldResolver, Resolver, Root, type ClassType } from "type-graphql";
import { AuditEvent } from "../audit/audit.types";
import { parseDevice } from "./device";
import { Device, Session } from "./session.types";

/** `device` beside a type's raw `userAgent`, parsed only when a client asks for it. */
function deviceField<T extends { userAgent: string | null }>(type: ClassType<T>, description: string) {
  @Resolver(() => type)
  class DeviceField {
    @FieldResolver(() => Device, { description })
    device(@Root() root: T): Device {
      return parseDevice(root.userAgent);
    }
  }
  return DeviceField;
}

export const DEVICE_FIELDS = [
  deviceField(Session, "The browser, OS and kind of device the session signed in from, parsed from userAgent (UNKNOWN without one)."),
  deviceField(AuditEvent, "The browser, OS and kind of device the event came from, parsed from userAgent (UNKNOWN without one)."),
] as const;
