import { Args, Authorized, Extensions, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { AccountEntity, AuditEventEntity } from "../../entities";
import { AppError } from "../../errors";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { keysetCursors, pageWindow, toConnection, type Edge } from "../../graphql/connection";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import type { AuditEventType } from "./audit-event-type";
import { AuditService, type AuditFilter } from "./audit.service";
import { AuditEventConnection, AuditEventsArgs, type AuditEvent } from "./audit.types";

/** Cursors of the log's keyset positions: an event's time and numeric id. */
const cursors = keysetCursors({ pattern: "\\d{1,15}", parse: Number });

function toEdge(event: AuditEventEntity): Edge<AuditEvent> {
  // The log holds only AuditEventType values (AuditService.record takes nothing else).
  return {
    cursor: cursors.encode({ at: event.createdAt, id: event.id }),
    node: { ...event, id: String(event.id), type: event.type as AuditEventType },
  };
}

@Resolver(() => Account)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  // One query for the page, one more to tell whether events lie beyond the cursor paged from.
  @Extensions(FIELD_COST.reads(2))
  @Authorized(SESSION_ONLY)
  @FieldResolver(() => AuditEventConnection, {
    description:
      "The security log, newest first, as a Relay connection with keyset cursors: page forward with first/after, backward with last/before; filter by types and a time range. BAD_USER_INPUT for a page size outside 1-100, first with last, a cursor this API did not give, unknown types, or since not before until. Sessions only: an API key gets FORBIDDEN (the security log is not for a program holding a key).",
  })
  async auditEvents(@Root() account: AccountEntity, @Args() args: AuditEventsArgs): Promise<AuditEventConnection> {
    const { types, since, until } = args;
    if (since && until && since >= until)
      throw AppError.badInput("until", "NOT_AFTER", "until must be later than since", { fields: ["since"] });
    const filter: AuditFilter = { types: types ?? undefined, since: since ?? undefined, until: until ?? undefined };
    const page = await this.audit.list(account.id, filter, pageWindow(args, cursors.decode));
    return {
      ...toConnection(page, toEdge),
      accountId: account.id,
      filter,
    };
  }
}

@Resolver(() => AuditEventConnection)
export class AuditEventConnectionResolver {
  constructor(private readonly audit: AuditService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Int, { description: "How many events match the filter in the whole log (one count query: ask only when shown)." })
  totalCount(@Root() connection: AuditEventConnection): Promise<number> {
    return this.audit.count(connection.accountId, connection.filter);
  }
}
