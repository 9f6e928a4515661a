import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** A named secret that authenticates API calls as its account, with limited scopes. */
@Entity({ name: "api_keys" })
export class ApiKeyEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Index("idx_api_keys_account")
  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @Column({ type: "varchar", length: 64 })
  name: string;

  /** The start of the key (`ak_` and 8 characters), shown in lists to recognise it. */
  @Column({ type: "varchar", length: 16 })
  prefix: string;

  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  @Column({ name: "key_hash", type: "varchar", length: 64, unique: true })
  keyHash: string;

  /** Space-separated, e.g. "account:read account:write". */
  @Column({ type: "varchar", length: 200 })
  scopes: string;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;

  @Column({ name: "last_used_at", type: Date, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: "expires_at", type: Date, nullable: true })
  expiresAt: Date | null;

  /** Made without a step-up (nothing to step up with): works from then on (see factors/usable); else null. */
  @Column({ name: "usable_from", type: Date, nullable: true })
  usableFrom: Date | null;
}
