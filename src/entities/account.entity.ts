import { Column, Entity, PrimaryColumn } from "typeorm";

@Entity({ name: "accounts" })
export class AccountEntity {
  /** Generated in the app (crypto.randomUUID) so PostgreSQL needs no uuid extension. */
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  /** As the user typed it; shown back to them. */
  @Column({ type: "varchar", length: 64 })
  username: string;

  /** NFKC then lower case (normalizeUsername), with a unique index: one name in any letter case or compatibility form. */
  @Column({ name: "username_normalized", type: "varchar", length: 64, unique: true })
  usernameNormalized: string;

  /** bcrypt hash; null for accounts that only sign in through a provider. */
  @Column({ name: "password_hash", type: "varchar", length: 100, nullable: true })
  passwordHash: string | null;

  @Column({ name: "password_changed_at", type: Date, nullable: true })
  passwordChangedAt: Date | null;

  @Column({ name: "avatar_url", type: "varchar", length: 2048, nullable: true })
  avatarUrl: string | null;

  /** Sign-in asks for a second factor after the password. */
  @Column({ name: "two_step_enabled", type: "boolean", default: false })
  twoStepEnabled: boolean;

  /** Space-separated roles, e.g. "SUPPORT". Empty for ordinary users. */
  @Column({ type: "varchar", length: 200, default: "" })
  roles: string;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;

  @Column({ name: "updated_at", type: Date })
  updatedAt: Date;
}
