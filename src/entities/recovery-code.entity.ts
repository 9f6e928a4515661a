import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** One single-use recovery code, kept only as an HMAC. */
@Entity({ name: "recovery_codes" })
export class RecoveryCodeEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Index("idx_recovery_codes_account")
  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @Column({ name: "code_hash", type: "varchar", length: 64 })
  codeHash: string;

  @Column({ name: "used_at", type: Date, nullable: true })
  usedAt: Date | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
