import { createHash, randomUUID } from "node:crypto";
import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import type { DataCipher } from "../src/core/cipher";
import { sha256Hex } from "../src/core/crypto";
import {
  ApiKeyEntity,
  AuditEventEntity,
  IdentityEntity,
  RealNameCheckEntity,
  RecoveryCodeEntity,
  SessionEntity,
  TotpCredentialEntity,
} from "../src/entities";
import { AuditEventType } from "../src/modules/audit/audit-event-type";
import { ContactKind } from "../src/modules/contact/contact.types";
import { ProviderKind } from "../src/modules/social/social.types";
import { sealContext } from "../src/modules/real-name/real-name.service";
import { totpSealContext } from "../src/modules/factors/second-factor-verifier";

/** Rows per INSERT: well under SQLite's bound-value limit for the widest of these tables. */
const CHUNK = 200;
const RECOVERY_CODES = 10;
/** Besides the one the seed gave every account: the sessions page lists them all. */
const OTHER_SESSIONS = 3;
const API_KEYS = 2;
/** More than the security log's first page (20). */
const AUDIT_EVENTS = 30;

/**
 * What the account center shows of a well-used account, for `accountIds` (already seeded): a bound
 * email and phone, WeChat and Alipay identities, a confirmed authenticator with its recovery codes,
 * and a passed real-name check; and for its other pages three more sessions, two API keys and 30
 * security-log events. Written through TypeORM's entities (so dates and booleans are what
 * the server writes), with secrets sealed by the server's own cipher: the page opens the legal name
 * and ID number to mask them.
 */
export async function seedRichAccounts(dataSource: DataSource, accountIds: string[], cipher: DataCipher): Promise<void> {
  const now = new Date();
  const longAgo = new Date(now.getTime() - 90 * 86400_000);
  const identities: IdentityEntity[] = [];
  const authenticators: TotpCredentialEntity[] = [];
  const codes: RecoveryCodeEntity[] = [];
  const checks: RealNameCheckEntity[] = [];
  const sessions: SessionEntity[] = [];
  const keys: ApiKeyEntity[] = [];
  const events: Omit<AuditEventEntity, "id">[] = [];
  const weekAhead = new Date(now.getTime() + 7 * 86400_000);
  const eventTypes = Object.values(AuditEventType);
  accountIds.forEach((accountId, i) => {
    for (let k = 0; k < OTHER_SESSIONS; k++) {
      sessions.push(
        dataSource.manager.create(SessionEntity, {
          id: randomUUID(),
          accountId,
          tokenHash: sha256Hex(randomUUID()),
          createdAt: longAgo,
          lastSeenAt: now,
          expiresAt: weekAhead,
          stepUpAt: null,
          ip: `10.0.${k}.${i % 250}`,
          userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        }),
      );
    }
    for (let k = 0; k < API_KEYS; k++) {
      keys.push(
        dataSource.manager.create(ApiKeyEntity, {
          id: randomUUID(),
          accountId,
          name: `key ${k}`,
          prefix: `ak_${String(i).padStart(4, "0")}${k}abc`,
          keyHash: sha256Hex(randomUUID()),
          scopes: "account:read",
          createdAt: longAgo,
          lastUsedAt: now,
          expiresAt: null,
        }),
      );
    }
    for (let k = 0; k < AUDIT_EVENTS; k++) {
      events.push({
        accountId,
        type: eventTypes[k % eventTypes.length],
        ip: "203.0.113.7",
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0",
        detail: null,
        createdAt: new Date(longAgo.getTime() + k * 3600_000),
      });
    }
    const identity = (kind: IdentityEntity["kind"], subject: string, profile: string | null) =>
      dataSource.manager.create(IdentityEntity, {
        id: randomUUID(),
        accountId,
        kind,
        subject,
        verifiedAt: longAgo,
        profile,
        usableFrom: null,
        createdAt: longAgo,
      });
    identities.push(
      identity(ContactKind.EMAIL, `rich${i}@bench.example.com`, null),
      identity(ContactKind.PHONE, `+86139${String(i).padStart(8, "0")}`, null),
      identity(
        ProviderKind.WECHAT,
        `wx-openid-${i}`,
        JSON.stringify({ displayName: `微信用户${i}`, avatarUrl: `https://wx.example.com/${i}.png` }),
      ),
      identity(
        ProviderKind.ALIPAY,
        `2088${String(i).padStart(12, "0")}`,
        JSON.stringify({ displayName: `支付宝用户${i}`, avatarUrl: null }),
      ),
    );
    const totpId = randomUUID();
    authenticators.push(
      dataSource.manager.create(TotpCredentialEntity, {
        id: totpId,
        accountId,
        secretSealed: cipher.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totpSealContext(totpId)),
        confirmedAt: longAgo,
        lastUsedStep: null,
        usableFrom: null,
        createdAt: longAgo,
      }),
    );
    for (let k = 0; k < RECOVERY_CODES; k++) {
      codes.push(
        dataSource.manager.create(RecoveryCodeEntity, {
          id: randomUUID(),
          accountId,
          codeHash: createHash("sha256").update(`${accountId}:${k}`).digest("hex"),
          usedAt: null,
          createdAt: longAgo,
        }),
      );
    }
    const checkId = randomUUID();
    const idNumber = `11010519491231${String(i).padStart(4, "0")}`;
    checks.push(
      dataSource.manager.create(RealNameCheckEntity, {
        id: checkId,
        accountId,
        provider: "ALIPAY",
        vendorReference: `bench-${checkId}`,
        status: "PASSED",
        legalNameSealed: cipher.seal("张三丰", sealContext(checkId, "legal-name")),
        idNumberSealed: cipher.seal(idNumber, sealContext(checkId, "id-number")),
        idNumberHash: createHash("sha256").update(idNumber).digest("hex"),
        verifyUrl: "https://openapi.alipay.com/bench",
        failureReason: null,
        failureCode: null,
        startedAt: longAgo,
        verifiedAt: longAgo,
      }),
    );
  });
  await dataSource.transaction(async (manager) => {
    const insert = async <T extends ObjectLiteral>(entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]) => {
      for (let start = 0; start < rows.length; start += CHUNK) await manager.insert(entity, rows.slice(start, start + CHUNK));
    };
    await insert(IdentityEntity, identities);
    await insert(TotpCredentialEntity, authenticators);
    await insert(RecoveryCodeEntity, codes);
    await insert(RealNameCheckEntity, checks);
    await insert(SessionEntity, sessions);
    await insert(ApiKeyEntity, keys);
    await insert(AuditEventEntity, events);
  });
}
