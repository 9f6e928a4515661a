import { AccountEntity } from "./account.entity";
import { AuditEventEntity } from "./audit-event.entity";
import { ChallengeEntity } from "./challenge.entity";
import { IdentityEntity } from "./identity.entity";
import { SessionEntity } from "./session.entity";

export { AccountEntity, AuditEventEntity, ChallengeEntity, IdentityEntity, SessionEntity };
export type { ChallengeChannel, ChallengePurpose } from "./challenge.entity";
export type { IdentityKind } from "./identity.entity";
export const ENTITIES = [AccountEntity, SessionEntity, AuditEventEntity, IdentityEntity, ChallengeEntity];
