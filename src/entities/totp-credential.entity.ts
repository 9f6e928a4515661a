import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * An authenticator app's secret. A pending row (not confirmed) is an enrolment in progress; the
 * confirmed row is the active one. A re-enrolment keeps the active row until the new one is confirmed.
 */
@Entity({ name: "totp_credentials" })
export class TotpCredentialEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Index("idx_totp_credentials_account")
  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  /** The base32 secret, sealed with AES-256-GCM (DataCipher), bound to this row's id. */
  @Column({ name: "secret_sealed", type: "text" })
  secretSealed: string;

  @Column({ name: "confirmed_at", type: Date, nullable: true })
  confirmedAt: Date | null;

  /** The newest 30-second step accepted; a code of this step or older is a replay. */
  @Column({ name: "last_used_step", type: "integer", nullable: true })
  lastUsedStep: number | null;

  /** Set when it was enrolled without a step-up: neither it nor its recovery codes serve before then. */
  @Column({ name: "usable_from", type: Date, nullable: true })
  usableFrom: Date | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
