import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { AccountEntity } from "./account.entity";

@Entity({ name: "sessions" })
export class SessionEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Index("idx_sessions_account")
  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "account_id" })
  account?: AccountEntity;

  /** SHA-256 of the bearer token; the token itself is never stored. */
  @Column({ name: "token_hash", type: "varchar", length: 64, unique: true })
  tokenHash: string;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;

  @Column({ name: "last_seen_at", type: Date })
  lastSeenAt: Date;

  /** Slides forward with use, never past createdAt + the absolute timeout. */
  @Column({ name: "expires_at", type: Date })
  expiresAt: Date;

  /** When this session last proved a second factor (step-up); sensitive changes need it recent. */
  @Column({ name: "step_up_at", type: Date, nullable: true })
  stepUpAt: Date | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;

  @Column({ name: "user_agent", type: "varchar", length: 512, nullable: true })
  userAgent: string | null;
}
