import type { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import type { Clock } from "../../core/clock";
import { AuditEventEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import type { PageWindow } from "../../graphql/connection";
import type { AuditEventType } from "./audit-event-type";

/** Where an event sits in the log: newest first by time, then by id (events of one instant keep their order). */
export interface AuditPosition {
  readonly createdAt: Date;
  readonly id: number;
}

/** Which events a page is drawn from. */
export interface AuditFilter {
  /** Any of these types; all types when absent. */
  readonly types?: readonly string[];
  /** At or after this instant. */
  readonly since?: Date;
  /** Before this instant. */
  readonly until?: Date;
}

export interface AuditPage {
  readonly events: AuditEventEntity[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Written inside the caller's transaction, so the event exists exactly when the change does. */
  async record(
    manager: EntityManager,
    accountId: string,
    type: AuditEventType,
    meta: RequestMeta,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    await manager.insert(AuditEventEntity, {
      accountId,
      type,
      ip: meta.ip,
      userAgent: meta.userAgent,
      detail: detail ? JSON.stringify(detail) : null,
      createdAt: this.clock.now(),
    });
  }

  /**
   * One page of the log, newest first, by keyset: "after" is older than its position, "before" newer.
   * Every read walks idx_audit_events_account_time (account, time, id), which also serves since/until.
   */
  async list(accountId: string, filter: AuditFilter, window: PageWindow<AuditPosition>): Promise<AuditPage> {
    const forward = window.direction === "forward";
    const query = this.matching(accountId, filter, window)
      .orderBy("event.createdAt", forward ? "DESC" : "ASC")
      .addOrderBy("event.id", forward ? "DESC" : "ASC")
      .limit(window.size + 1);
    const rows = await query.getMany();
    const more = rows.length > window.size;
    const events = rows.slice(0, window.size);
    if (!forward) events.reverse();
    // Beyond the cursor we paged from: anything there (the cursor's own event included) is the other side's page.
    const from = forward ? window.after : window.before;
    const beyond =
      from !== null &&
      (await this.matching(accountId, filter, {})
        .andWhere(...keyset(forward ? ">=" : "<=", from, "from"))
        .getExists());
    return forward ? { events, hasNextPage: more, hasPreviousPage: beyond } : { events, hasNextPage: beyond, hasPreviousPage: more };
  }

  /** How many events match the filter, for a connection's totalCount. */
  count(accountId: string, filter: AuditFilter): Promise<number> {
    return this.matching(accountId, filter, {}).getCount();
  }

  private matching(
    accountId: string,
    filter: AuditFilter,
    bounds: { readonly after?: AuditPosition | null; readonly before?: AuditPosition | null },
  ): SelectQueryBuilder<AuditEventEntity> {
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder("event")
      .where("event.accountId = :accountId", { accountId });
    if (filter.types) query.andWhere("event.type IN (:...types)", { types: filter.types });
    if (filter.since) query.andWhere("event.createdAt >= :since", { since: filter.since });
    if (filter.until) query.andWhere("event.createdAt < :until", { until: filter.until });
    if (bounds.after) query.andWhere(...keyset("<", bounds.after, "after"));
    if (bounds.before) query.andWhere(...keyset(">", bounds.before, "before"));
    return query;
  }
}

/** `(createdAt, id) <op> position` as a row comparison, which both databases answer from the index. */
function keyset(op: "<" | ">" | "<=" | ">=", position: AuditPosition, name: string): [string, Record<string, unknown>] {
  return [`(event.createdAt, event.id) ${op} (:${name}At, :${name}Id)`, { [`${name}At`]: position.createdAt, [`${name}Id`]: position.id }];
}
