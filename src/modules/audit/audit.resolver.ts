import { Args, Extensions, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { AccountEntity, AuditEventEntity } from "../../entities";
import { AppError } from "../../errors";
import { pageWindow } from "../../graphql/connection";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import type { AuditEventType } from "./audit-event-type";
import { AuditService, type AuditFilter, type AuditPosition } from "./audit.service";
import { AuditEventConnection, AuditEventsArgs, type AuditEventEdge } from "./audit.types";

/** A cursor is base64url of "<createdAt in ms>:<id>": opaque to clients, a keyset position to the service. */
function encodeCursor(event: AuditPosition): string {
  return Buffer.from(`${event.createdAt.getTime()}:${event.id}`).toString("base64url");
}

/** The position of a cursor this API gave, or null for anything else (only the canonical spelling decodes). */
function decodeCursor(cursor: string): AuditPosition | null {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  if (!match) return null;
  const position = { createdAt: new Date(Number(match[1])), id: Number(match[2]) };
  return encodeCursor(position) === cursor ? position : null;
}

function toEdge(event: AuditEventEntity): AuditEventEdge {
  // The log holds only AuditEventType values (AuditService.record takes nothing else).
  return { cursor: encodeCursor(event), node: { ...event, id: String(event.id), type: event.type as AuditEventType } };
}

@Resolver(() => Account)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  // One query for the page, one more to tell whether events lie beyond the cursor paged from.
  @Extensions(FIELD_COST.reads(2))
  @FieldResolver(() => AuditEventConnection, {
    description:
      "The security log, newest first, as a Relay connection with keyset cursors: page forward with first/after, backward with last/before; filter by types and a time range. BAD_USER_INPUT for a page size outside 1-100, first with last, a cursor this API did not give, unknown types, or since not before until.",
  })
  async auditEvents(@Root() account: AccountEntity, @Args() args: AuditEventsArgs): Promise<AuditEventConnection> {
    const { types, since, until } = args;
    if (since && until && since >= until)
      throw AppError.badInput("until", "NOT_AFTER", "until must be later than since", { fields: ["since"] });
    const filter: AuditFilter = { types: types ?? undefined, since: since ?? undefined, until: until ?? undefined };
    const page = await this.audit.list(account.id, filter, pageWindow(args, decodeCursor));
    const edges = page.events.map(toEdge);
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
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
