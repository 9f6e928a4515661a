import { AccountEntity } from "./account.entity";
import { ApiKeyEntity } from "./api-key.entity";
import { AuditEventEntity } from "./audit-event.entity";
import { ChallengeEntity } from "./challenge.entity";
import { IdentityEntity } from "./identity.entity";
import { OAuthStateEntity } from "./oauth-state.entity";
import { RealNameCheckEntity } from "./real-name-check.entity";
import { RecoveryCodeEntity } from "./recovery-code.entity";
import { SessionEntity } from "./session.entity";
import { TotpCredentialEntity } from "./totp-credential.entity";

export {
  AccountEntity,
  ApiKeyEntity,
  AuditEventEntity,
  ChallengeEntity,
  IdentityEntity,
  OAuthStateEntity,
  RealNameCheckEntity,
  RecoveryCodeEntity,
  SessionEntity,
  TotpCredentialEntity,
};
export type { RealNameCheckStatus } from "./real-name-check.entity";
export type { OAuthStatePurpose } from "./oauth-state.entity";
export type { ChallengePurpose } from "./challenge.entity";
export type { IdentityKind } from "./identity.entity";
export const ENTITIES = [
  AccountEntity,
  SessionEntity,
  AuditEventEntity,
  IdentityEntity,
  ChallengeEntity,
  TotpCredentialEntity,
  RecoveryCodeEntity,
  ApiKeyEntity,
  OAuthStateEntity,
  RealNameCheckEntity,
];
