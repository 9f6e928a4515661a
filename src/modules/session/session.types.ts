import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Account } from "../account/account.types";

@ObjectType({ description: "A signed-in device or browser." })
export class Session {
  @Field(() => ID)
  id: string;

  @Field({ description: "True for the session this request was made with." })
  current: boolean;

  @Field()
  createdAt: Date;

  @Field()
  lastSeenAt: Date;

  @Field(() => String, { nullable: true, description: "The User-Agent header the session signed in with; `device` is what it says." })
  userAgent: string | null;

  @Field(() => String, { nullable: true })
  ip: string | null;
}

export enum DeviceType {
  DESKTOP = "DESKTOP",
  MOBILE = "MOBILE",
  TABLET = "TABLET",
  TV = "TV",
  CONSOLE = "CONSOLE",
  WEARABLE = "WEARABLE",
  EMBEDDED = "EMBEDDED",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(DeviceType, {
  name: "DeviceType",
  description: "What kind of device a user agent string names.",
  valuesConfig: {
    DESKTOP: { description: "A computer: a browser or OS was recognised and no other kind of device was named." },
    MOBILE: { description: "A phone." },
    TABLET: { description: "A tablet." },
    TV: { description: "A smart TV." },
    CONSOLE: { description: "A game console." },
    WEARABLE: { description: "A watch or other wearable." },
    EMBEDDED: { description: "An embedded device, e.g. a car." },
    UNKNOWN: { description: "No user agent, or one naming no known browser, OS or device (e.g. curl or a script)." },
  },
});

@ObjectType({ description: "A browser or operating system named in a user agent string, e.g. Chrome 124 or iOS 17.4." })
export class Software {
  @Field({ description: "e.g. Chrome, Mobile Safari, WeChat; Windows, Mac OS, iOS, Android." })
  name: string;

  @Field(() => String, { nullable: true, description: "e.g. 124.0.0.0 or 17.4; null when the user agent gives none." })
  version: string | null;
}

@ObjectType({
  description: "What a user agent string says about the device, parsed by the server (ua-parser-js) so every client words it alike.",
})
export class Device {
  @Field(() => DeviceType)
  type: DeviceType;

  @Field(() => Software, { nullable: true, description: "The browser or app; null when not recognised." })
  browser: Software | null;

  @Field(() => Software, { nullable: true, description: "The operating system; null when not recognised." })
  os: Software | null;
}

@ObjectType({ description: "What signOutOtherSessions changed." })
export class SignOutOtherSessionsPayload {
  @Field(() => Account, { description: "The account, whose sessions now list only the caller's." })
  account: Account;

  @Field(() => [ID], { description: "The sessions signed out (empty when there was no other): drop them from a cache." })
  revokedSessionIds: string[];
}
