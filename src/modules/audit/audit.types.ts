import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { ArrayMaxSize, ArrayMinSize, IsOptional } from "../../graphql/constraints";
import { ConnectionArgs, ConnectionType } from "../../graphql/connection";
import { AuditEventType } from "./audit-event-type";
import type { AuditFilter } from "./audit.service";

@ObjectType({ description: "One entry of the account's security log." })
export class AuditEvent {
  @Field(() => ID, { description: "Stable id of the entry." })
  id: string;

  @Field(() => AuditEventType, { description: "What happened." })
  type: AuditEventType;

  @Field({ description: "When it happened." })
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description: "The client IP address the request came from (as TRUST_PROXY allows reading it); null when unknown.",
  })
  ip: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The User-Agent header of the request (up to 512 characters); null when none was sent.",
  })
  userAgent: string | null;
}

@ObjectType({
  description:
    "A page of the security log, newest first (a Relay connection: Apollo's relayStylePagination() and graphcache's relayPagination() page it unaided).",
})
export class AuditEventConnection extends ConnectionType(AuditEvent, {
  edge: "An event of the security log with the cursor of its place in it.",
  cursor: "Opaque: pass it as `after` (or `before`) to page from this event. Stays valid while the event exists.",
  node: "The event.",
  edges: "The events of this page with their cursors, newest first.",
  pageInfo: "Whether more events lie before or after this page, and the cursors to page from.",
}) {
  /** Whose events and which, for totalCount (counted only when asked for). */
  accountId: string;
  filter: AuditFilter;
}

@ArgsType()
export class AuditEventsArgs extends ConnectionArgs {
  @Field(() => [AuditEventType], {
    nullable: true,
    description: "Only events of these types (1-50 of them). All types when absent.",
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  types?: AuditEventType[] | null;

  @Field(() => Date, { nullable: true, description: "Only events at or after this instant." })
  @IsOptional()
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: "Only events before this instant (later than since, else BAD_USER_INPUT)." })
  @IsOptional()
  until?: Date | null;
}
