import { Column, Entity, Index, PrimaryColumn, Unique } from "typeorm";
import type { ContactKind } from "../modules/contact/contact.types";
import type { ProviderKind } from "../modules/social/social.types";

/** A bound address (email, phone) or a provider account. */
export type IdentityKind = ContactKind | ProviderKind;

/**
 * Something outside the platform that belongs to one account: an email, a phone, a provider account.
 * One of each kind per account, and each subject belongs to one account (unique indexes, the last
 * line of defence against races).
 */
@Entity({ name: "identities" })
@Unique("uq_identities_kind_subject", ["kind", "subject"])
@Unique("uq_identities_account_kind", ["accountId", "kind"])
export class IdentityEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Index("idx_identities_account")
  @Column({ name: "account_id", type: "varchar", length: 36 })
  accountId: string;

  @Column({ type: "varchar", length: 16 })
  kind: IdentityKind;

  /** Normalised: a lower-cased email, an E.164 phone number, a provider's stable user id. */
  @Column({ type: "varchar", length: 320 })
  subject: string;

  @Column({ name: "verified_at", type: Date })
  verifiedAt: Date;

  /** Small JSON object from the provider (display name, avatar). */
  @Column({ type: "text", nullable: true })
  profile: string | null;

  /** Set when it was bound without a step-up: it cannot serve for step-up, two-step or recovery before then. */
  @Column({ name: "usable_from", type: Date, nullable: true })
  usableFrom: Date | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
