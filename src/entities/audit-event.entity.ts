import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Append-only security log, paged newest first by (createdAt, id). */
@Entity({ name: "audit_events" })
@Index("idx_audit_events_account_time", ["accountId", "createdAt", "id"])
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: "integer" })
  id: number;

  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @Column({ type: "varchar", length: 64 })
  type: string;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;

  @Column({ name: "user_agent", type: "varchar", length: 512, nullable: true })
  userAgent: string | null;

  /** Small JSON object with what changed (never secrets). */
  @Column({ type: "text", nullable: true })
  detail: string | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
