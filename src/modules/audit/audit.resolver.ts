import { Args, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import type { AuditEventType } from "./audit-event-type";
import { AuditService } from "./audit.service";
import { AuditEvent, AuditEventConnection, AuditEventsArgs } from "./audit.types";

const DEFAULT_PAGE_SIZE = 20;

@Resolver(() => Account)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => AuditEventConnection, { description: "The security log, newest first." })
  async auditEvents(@Root() account: AccountEntity, @Args() { first, after }: AuditEventsArgs): Promise<AuditEventConnection> {
    const page = await this.audit.list(account.id, first ?? DEFAULT_PAGE_SIZE, after ? Number(after) : undefined);
    // The log holds only AuditEventType values (AuditService.record takes nothing else).
    const nodes: AuditEvent[] = page.events.map((event) => ({ ...event, id: String(event.id), type: event.type as AuditEventType }));
    return { nodes, hasNextPage: page.hasNextPage, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
  }
}
