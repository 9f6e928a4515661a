import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../../core/clock";
import { ipBudgetKey } from "../../core/ip-key";
import { consumeAll, type RateLimiter } from "../../core/rate-limiter";
import { AppError } from "../../errors";
import { isUniqueViolation } from "../../db/data-source";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { findAccountBySignInName, parseSignInName } from "../account/sign-in-name";
import { normalizeUsername } from "../account/username";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import type { PasswordHasher } from "../password/password-hasher";
import type { SignedIn, SignInService } from "../sign-in/sign-in.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import type { LoginInput, RegisterInput } from "./auth.types";

export interface AuthLimiters {
  readonly loginByIdentifier: RateLimiter;
  readonly loginByIp: RateLimiter;
  readonly registerByIp: RateLimiter;
}

export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly limiters: AuthLimiters,
    private readonly signIn: SignInService,
  ) {}

  async register(input: RegisterInput, meta: RequestMeta): Promise<SignedIn> {
    await this.limiters.registerByIp.consume(ipBudgetKey(meta.ip));
    const usernameNormalized = normalizeUsername(input.username);
    // Hash before the transaction: bcrypt takes long and must not hold the database.
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.transaction(async (manager) => {
        if (await manager.existsBy(AccountEntity, { usernameNormalized })) throw new AppError("USERNAME_TAKEN");
        const now = this.clock.now();
        const account = manager.create(AccountEntity, {
          id: randomUUID(),
          username: input.username,
          usernameNormalized,
          passwordHash,
          passwordChangedAt: now,
          avatarUrl: null,
          createdAt: now,
          updatedAt: now,
        });
        await manager.insert(AccountEntity, account);
        await this.audit.record(manager, account.id, AuditEventType.ACCOUNT_CREATED, meta);
        return this.signIn.startSession(manager, account, meta, "PASSWORD");
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("USERNAME_TAKEN");
      throw error;
    }
  }

  /**
   * Signs in with a username, bound email or bound phone. Unknown identifier and wrong password give the same INVALID_CREDENTIALS after the same
   * work: one look-up and one bcrypt comparison. Every try reserves a point of the identifier's and the IP's budgets before the
   * check; a success clears the identifier's failures and gives the IP its point back.
   */
  async login(input: LoginInput, meta: RequestMeta): Promise<SignedIn | TwoStepChallenge> {
    const name = parseSignInName(input.identifier);
    const identifierKey = `${name.kind}:${name.subject}`;
    const ipKey = ipBudgetKey(meta.ip);
    await consumeAll([
      [this.limiters.loginByIdentifier, identifierKey],
      [this.limiters.loginByIp, ipKey],
    ]);

    const account = await findAccountBySignInName(this.dataSource, name);
    const valid = await this.hasher.verify(input.password, account?.passwordHash ?? null);
    if (!account || !valid) {
      if (account) this.audit.recordAfterAnswer(account.id, AuditEventType.SIGN_IN_FAILED, meta);
      throw new AppError("INVALID_CREDENTIALS");
    }
    await Promise.all([this.limiters.loginByIdentifier.reset(identifierKey), this.limiters.loginByIp.refund(ipKey)]);

    // A hash made at another cost (BCRYPT_COST changed) is upgraded while the password is at hand.
    if (account.passwordHash && this.hasher.needsRehash(account.passwordHash)) {
      const rehash = await this.hasher.hash(input.password);
      await this.transaction((manager) =>
        namingRows(manager, [{ id: account.id, accountId: account.id }], () =>
          manager.update(AccountEntity, { id: account.id, passwordHash: account.passwordHash! }, { passwordHash: rehash }),
        ),
      );
    }
    return this.signIn.completeSignIn(account, "PASSWORD", meta);
  }
}
