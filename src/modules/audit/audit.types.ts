import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { IsOptional, Matches, Max, Min } from "class-validator";
import { AuditEventType } from "./audit-event-type";

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

@ObjectType({ description: "One page of the security log, newest first." })
export class AuditEventConnection {
  @Field(() => [AuditEvent], { description: "The entries of this page." })
  nodes: AuditEvent[];

  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page." })
  endCursor: string | null;

  @Field({ description: "True when older entries follow: pass endCursor as `after`." })
  hasNextPage: boolean;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page." })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: "after must be an endCursor from a previous page" })
  after?: string | null;
}
