import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType, ForwardConnectionArgs } from "../../graphql/connection";
import { IdArgs } from "../../graphql/id-args";
import { Account } from "../account/account.types";

@ObjectType({ description: "A signed-in device or browser." })
export class Session {
  @Field(() => ID, { description: "Stable id of the session; revokeSession takes it." })
  id: string;

  @Field({ description: "True for the session this request was made with." })
  current: boolean;

  @Field({ description: "When it signed in." })
  createdAt: Date;

  @Field({ description: "When it last made a request (updated at most once a minute)." })
  lastSeenAt: Date;

  @Field(() => String, {
    nullable: true,
    description: "The User-Agent header it signed in with (up to 512 characters); null when none was sent.",
  })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: "The client IP address it signed in from; null when unknown." })
  ip: string | null;
}

/** Sessions a page holds unless `first` says otherwise. */
export const SESSIONS_PAGE_SIZE = 50;

/** The payload field of every change that gives the caller's session a new token. */
export const SESSION_TOKEN_RENEWED =
  "This session's new bearer token, to send from now on: the token the request carried no longer works, so a copy of it taken earlier (from a log, a screenshot, a shared machine) is signed out with the other sessions.";

@ObjectType({
  description:
    "A page of the signed-in sessions, most recently used first (a Relay connection: Apollo's relayStylePagination() and graphcache's relayPagination() page it unaided).",
})
export class SessionConnection extends ConnectionType(Session, {
  edge: "A signed-in session with the cursor of its place in the list.",
  cursor:
    "Opaque: pass it as `after` to read the sessions used less recently. It holds the session's last use as of this answer, so it stays valid after the session is used again or signed out.",
  node: "The session.",
  edges: "The sessions of this page with their cursors, most recently used first.",
  pageInfo: "Whether more sessions follow this page, and the cursor to page from.",
}) {
  /** Whose sessions, for totalCount (counted only when asked for). */
  accountId: string;
}

@ArgsType()
export class SessionsArgs extends ForwardConnectionArgs(SESSIONS_PAGE_SIZE) {}

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
  // A key, so normalized client caches store it without configuration; made of the values, so equal ids mean equal values.
  @Field(() => ID, { description: "Its name and version: two with the same id say the same." })
  id: string;

  @Field({ description: "e.g. Chrome, Mobile Safari, WeChat; Windows, Mac OS, iOS, Android." })
  name: string;

  @Field(() => String, { nullable: true, description: "e.g. 124.0.0.0 or 17.4; null when the user agent gives none." })
  version: string | null;
}

@ObjectType({
  description: "What a user agent string says about the device, parsed by the server (ua-parser-js) so every client words it alike.",
})
export class Device {
  // A key, so normalized client caches store it without configuration; made of the values, so equal ids mean equal values.
  @Field(() => ID, { description: "Its type, browser and OS: two with the same id say the same." })
  id: string;

  @Field(() => DeviceType, { description: "Desktop, phone, tablet, ...; UNKNOWN when the user agent names none." })
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

  @Field(() => String, { description: SESSION_TOKEN_RENEWED })
  token: string;
}

@InputType({ description: "Which session to sign out: id is one of Account.sessions." })
export class RevokeSessionInput extends IdArgs {}

@ObjectType({ description: "What revokeSession returns." })
export class RevokeSessionPayload {
  @Field(() => ID, {
    description:
      "The session asked for, which is signed out now: by this call, or before it (an id that is not a signed-in session of this account changes nothing and answers the same).",
  })
  revokedSessionId: string;

  @Field(() => Account, { description: "The account, whose sessions no longer list the revoked one." })
  account: Account;
}
