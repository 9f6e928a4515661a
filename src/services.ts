import type Redis from "ioredis";
import type { DataSource } from "typeorm";
import type { ContainerType } from "type-graphql";
import type { Config } from "./config";
import type { BackgroundTasks } from "./core/background";
import type { Clock } from "./core/clock";
import { deriveKey } from "./core/data-key";
import type { Logger } from "./core/logger";
import { createRateLimiterFactory } from "./core/rate-limiter";
import { createTransactionRunner } from "./db/transactions";
import { AccountResolver } from "./modules/account/account.resolver";
import { AccountService } from "./modules/account/account.service";
import { AdminResolver } from "./modules/admin/admin.resolver";
import { AdminService } from "./modules/admin/admin.service";
import { ApiKeyResolver } from "./modules/api-key/api-key.resolver";
import { AuditResolver } from "./modules/audit/audit.resolver";
import { AuditService } from "./modules/audit/audit.service";
import { AuthResolver } from "./modules/auth/auth.resolver";
import { AuthService } from "./modules/auth/auth.service";
import { ChallengeService } from "./modules/challenge/challenge.service";
import { ContactResolver } from "./modules/contact/contact.resolver";
import { ContactService } from "./modules/contact/contact.service";
import { NoticeService } from "./modules/notice/notice.service";
import { PasswordResetResolver } from "./modules/password-reset/password-reset.resolver";
import { PasswordResetService } from "./modules/password-reset/password-reset.service";
import { PasswordHasher } from "./modules/password/password-hasher";
import { PasswordResolver } from "./modules/password/password.resolver";
import { PasswordService } from "./modules/password/password.service";
import { RealNameResolver } from "./modules/real-name/real-name.resolver";
import { SecurityResolver } from "./modules/security/security.resolver";
import { SessionResolver } from "./modules/session/session.resolver";
import { SessionService } from "./modules/session/session.service";
import { SocialResolver } from "./modules/social/social.resolver";
import { StepUpResolver } from "./modules/step-up/step-up.resolver";
import { StepUpService } from "./modules/step-up/step-up.service";
import type { Providers } from "./providers/registry";

export interface ServiceDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly redis: Redis | undefined;
  readonly providers: Providers;
  readonly background: BackgroundTasks;
  /** The resolved DATA_ENCRYPTION_KEY; each use derives its own key from it. */
  readonly dataKey: Buffer;
}

/** Builds every service once, wires them by hand, and exposes the resolvers as a type-graphql container. */
export function createServices(deps: ServiceDeps) {
  const { config, clock, logger, dataSource, redis, providers, background, dataKey } = deps;
  const transaction = createTransactionRunner(dataSource);
  const rateLimiter = createRateLimiterFactory(redis);
  const limits = config.rateLimits;
  const hasher = new PasswordHasher(config.bcryptCost);

  const audit = new AuditService(dataSource, clock);
  const sessions = new SessionService(dataSource, transaction, clock, audit, config.session);
  const challenges = new ChallengeService(
    dataSource, transaction, clock, logger, audit, providers, deriveKey(dataKey, "challenge-code"), config, rateLimiter,
  );
  const notices = new NoticeService(dataSource, clock, logger, providers, background);
  const stepUp = new StepUpService(dataSource, transaction, clock, audit, challenges, config.stepUpTtlSeconds);
  const accounts = new AccountService(transaction, clock, audit);
  const auth = new AuthService(dataSource, transaction, clock, hasher, sessions, audit, {
    loginByIdentifier: rateLimiter("login-identifier", limits.loginFailuresPerIdentifier),
    loginByIp: rateLimiter("login-ip", limits.loginFailuresPerIp),
    registerByIp: rateLimiter("register-ip", limits.registrationsPerIp),
  });
  const passwords = new PasswordService(
    transaction, clock, hasher, sessions, audit, rateLimiter("password-account", limits.passwordFailuresPerAccount), stepUp, notices,
  );
  const resets = new PasswordResetService(
    dataSource, transaction, clock, hasher, audit, challenges, notices, background, rateLimiter("reset-ip", limits.codeSendsPerIp),
  );
  const contacts = new ContactService(dataSource, transaction, clock, audit, challenges, stepUp, notices);
  const admin = new AdminService(dataSource, transaction, clock, audit, notices);

  const resolvers = new Map<Function, object>([
    [AccountResolver, new AccountResolver(accounts)],
    [AuthResolver, new AuthResolver(auth, sessions)],
    [PasswordResolver, new PasswordResolver(passwords)],
    [PasswordResetResolver, new PasswordResetResolver(resets)],
    [SessionResolver, new SessionResolver(sessions)],
    [AuditResolver, new AuditResolver(audit)],
    [StepUpResolver, new StepUpResolver(stepUp)],
    [ContactResolver, new ContactResolver(contacts)],
    [AdminResolver, new AdminResolver(admin)],
    [SecurityResolver, new SecurityResolver()],
    [SocialResolver, new SocialResolver()],
    [RealNameResolver, new RealNameResolver()],
    [ApiKeyResolver, new ApiKeyResolver()],
  ]);
  const container: ContainerType = {
    get: (resolverClass: Function) => {
      const resolver = resolvers.get(resolverClass);
      if (!resolver) throw new Error(`No instance wired for ${resolverClass.name}`);
      return resolver;
    },
  };

  return { container, sessions };
}
