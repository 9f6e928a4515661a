import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import type { VerificationMethod } from "../modules/factors/vocabulary";

export type ChallengePurpose = "BIND_CONTACT" | "UNBIND_CONTACT" | "STEP_UP" | "PASSWORD_RESET" | "TWO_STEP";

/**
 * One "we sent you a code, type it back" step. The code is kept only as an HMAC; attempts and
 * consumption are changed by conditional updates so parallel requests cannot share a try or a use.
 */
@Entity({ name: "challenges" })
@Index("idx_challenges_target", ["target", "purpose"])
export class ChallengeEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ type: "varchar", length: 32 })
  purpose: ChallengePurpose;

  @Index("idx_challenges_account")
  @Column({ name: "account_id", type: "varchar", length: 36, nullable: true })
  accountId: string | null;

  /** For step-up: the session the proof is for. */
  @Column({ name: "session_id", type: "varchar", length: 36, nullable: true })
  sessionId: string | null;

  /** The method the challenge is answered with (a code sent by EMAIL/SMS, TOTP, ...); null until the person picks one (two-step). */
  @Column({ type: "varchar", length: 16, nullable: true })
  channel: VerificationMethod | null;

  /** The normalised address the code was sent to (the account id for TOTP and recovery codes). */
  @Column({ type: "varchar", length: 320 })
  target: string;

  /** Null while no code of ours is out: TOTP, recovery code, password, or none chosen yet. */
  @Column({ name: "code_hash", type: "varchar", length: 64, nullable: true })
  codeHash: string | null;

  /** What the confirmation acts on, as its purpose's record has it (modules/challenge/challenge-data). */
  @Column({ type: "text", nullable: true })
  payload: string | null;

  @Column({ type: "integer" })
  attempts: number;

  @Column({ name: "max_attempts", type: "integer" })
  maxAttempts: number;

  @Index("idx_challenges_expires_at") // the sweeper deletes by it, as by consumed_at
  @Column({ name: "expires_at", type: Date })
  expiresAt: Date;

  @Column({ name: "resend_available_at", type: Date })
  resendAvailableAt: Date;

  /** Set when used, or when a newer code for the same purpose and target replaced it. */
  @Index("idx_challenges_consumed_at")
  @Column({ name: "consumed_at", type: Date, nullable: true })
  consumedAt: Date | null;

  @Column({ name: "created_at", type: Date })
  createdAt: Date;
}
