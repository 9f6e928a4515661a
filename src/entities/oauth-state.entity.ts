import { Column, Entity, Index, PrimaryColumn } from "typeorm";

export type OAuthStatePurpose = "BIND" | "LOGIN";

/**
 * The `state` of one OAuth round trip: random, kept only as a hash, bound to its purpose, provider,
 * redirect URI and (for binding) account; single use and short-lived.
 */
@Entity({ name: "oauth_states" })
export class OAuthStateEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ name: "state_hash", type: "varchar", length: 64, unique: true })
  stateHash: string;

  @Column({ type: "varchar", length: 8 })
  purpose: OAuthStatePurpose;

  @Column({ type: "varchar", length: 16 })
  provider: string;

  @Column({ name: "account_id", type: "varchar", length: 36, nullable: true })
  accountId: string | null;

  @Column({ name: "redirect_uri", type: "varchar", length: 2048 })
  redirectUri: string;

  @Index("idx_oauth_states_expires_at") // the sweeper deletes by it, as by consumed_at
  @Column({ name: "expires_at", type: Date })
  expiresAt: Date;

  @Index("idx_oauth_states_consumed_at")
  @Column({ name: "consumed_at", type: Date, nullable: true })
  consumedAt: Date | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
