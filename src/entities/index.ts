import { AccountEntity } from "./account.entity";
import { AuditEventEntity } from "./audit-event.entity";
import { SessionEntity } from "./session.entity";

export { AccountEntity, AuditEventEntity, SessionEntity };
export const ENTITIES = [AccountEntity, SessionEntity, AuditEventEntity];
