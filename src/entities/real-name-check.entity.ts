import { Column, Entity, Index, PrimaryColumn } from "typeorm";

export type RealNameCheckStatus = "PENDING" | "PASSED" | "FAILED" | "ABANDONED";

/**
 * One real-name verification attempt. The legal name and ID number are sealed (AES-256-GCM, bound to
 * this row); a keyed hash of the ID number lets us find other accounts verified with it without
 * decrypting anything.
 */
@Entity({ name: "real_name_checks" })
@Index("idx_real_name_checks_account", ["accountId", "startedAt"])
export class RealNameCheckEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @Column({ type: "varchar", length: 16 })
  provider: string;

  /** The provider's id of the check (Alipay certify_id). */
  @Column({ name: "vendor_reference", type: "varchar", length: 128 })
  vendorReference: string;

  @Column({ type: "varchar", length: 16 })
  status: RealNameCheckStatus;

  @Column({ name: "legal_name_sealed", type: "text" })
  legalNameSealed: string;

  @Column({ name: "id_number_sealed", type: "text" })
  idNumberSealed: string;

  @Index("idx_real_name_checks_id_number")
  @Column({ name: "id_number_hash", type: "varchar", length: 64 })
  idNumberHash: string;

  /** Shown only while PENDING. */
  @Column({ name: "verify_url", type: "text" })
  verifyUrl: string;

  @Column({ name: "failure_reason", type: "varchar", length: 300, nullable: true })
  failureReason: string | null;

  /** RealNameFailureCode; null for checks settled before the code was recorded. */
  @Column({ name: "failure_code", type: "varchar", length: 32, nullable: true })
  failureCode: string | null;

  @Column({ name: "started_at", type: Date })
  startedAt: Date;

  @Column({ name: "verified_at", type: Date, nullable: true })
  verifiedAt: Date | null;

  /** When reading the check last asked the provider about it (REAL_NAME_POLL_INTERVAL_SECONDS apart at most). */
  @Column({ name: "polled_at", type: Date, nullable: true })
  polledAt: Date | null;
}
