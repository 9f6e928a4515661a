import type { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import type { BackgroundTasks } from "../../core/background";
import type { Clock } from "../../core/clock";
import type { TransactionRunner } from "../../db/transactions";
import { AuditEventEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { keysetPage, type KeysetPage } from "../../db/keyset-page";
import type { KeysetPosition, PageWindow } from "../../graphql/connection";
import type { AuditEventType } from "./audit-event-type";

/** Which events a page is drawn from. */
export interface AuditFilter {
  /** Any of these types; all types when absent. */
  readonly types?: readonly string[];
  /** At or after this instant. */
  readonly since?: Date;
  /** Before this instant. */
  readonly until?: Date;
}

export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly transaction: TransactionRunner,
    private readonly background: BackgroundTasks,
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
   * Records a failed try after the answer, in a transaction of its own: a write that only a known
   * account's try gets would make its answer slower than an unknown one's, telling that it exists.
   */
  recordAfterAnswer(accountId: string, type: AuditEventType, meta: RequestMeta, detail?: Record<string, unknown>): void {
    const seen: RequestMeta = { ip: meta.ip, userAgent: meta.userAgent };
    this.background.run(type, () => this.transaction((manager) => this.record(manager, accountId, type, seen, detail)));
  }

  /** One page of the log, newest first; every read walks idx_audit_events_account_time (account, time, id), which also serves since/until. */
  list(accountId: string, filter: AuditFilter, window: PageWindow<KeysetPosition>): Promise<KeysetPage<AuditEventEntity>> {
    return keysetPage(() => this.matching(accountId, filter), { at: "event.createdAt", id: "event.id" }, window);
  }

  /** How many events match the filter, for a connection's totalCount. */
  count(accountId: string, filter: AuditFilter): Promise<number> {
    return this.matching(accountId, filter).getCount();
  }

  private matching(accountId: string, filter: AuditFilter): SelectQueryBuilder<AuditEventEntity> {
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder("event")
      .where("event.accountId = :accountId", { accountId });
    if (filter.types) query.andWhere("event.type IN (:...types)", { types: filter.types });
    if (filter.since) query.andWhere("event.createdAt >= :since", { since: filter.since });
    if (filter.until) query.andWhere("event.createdAt < :until", { until: filter.until });
    return query;
  }
}
