import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { IsOptional, Matches, Max, Min } from "class-validator";
import { AuditEventType } from "./audit-event-type";

@ObjectType({ description: "One entry of the account's security log." })
export class AuditEvent {
  @Field(() => ID)
  id: string;

  @Field(() => AuditEventType, { description: "What happened." })
  type: AuditEventType;

  @Field()
  createdAt: Date;

  @Field(() => String, { nullable: true })
  ip: string | null;

  @Field(() => String, { nullable: true })
  userAgent: string | null;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEvent])
  nodes: AuditEvent[];

  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page." })
  endCursor: string | null;

  @Field()
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
