import { LessThan, type DataSource, type EntityManager } from "typeorm";
import type { Clock } from "../../core/clock";
import { AuditEventEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import type { AuditEventType } from "./audit-event-type";

export interface AuditPage {
  readonly events: AuditEventEntity[];
  readonly hasNextPage: boolean;
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

  /** Newest first; `beforeId` is the id of the last event of the previous page. */
  async list(accountId: string, first: number, beforeId: number | undefined): Promise<AuditPage> {
    const rows = await this.dataSource.getRepository(AuditEventEntity).find({
      where: beforeId === undefined ? { accountId } : { accountId, id: LessThan(beforeId) },
      order: { id: "DESC" },
      take: first + 1,
    });
    return { events: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}
