import type Redis from "ioredis";
import type { DataSource } from "typeorm";
import type { ContainerType } from "type-graphql";
import type { Config } from "./config";
import type { Clock } from "./core/clock";
import { createRateLimiterFactory } from "./core/rate-limiter";
import { createTransactionRunner } from "./db/transactions";
import { AccountResolver } from "./modules/account/account.resolver";
import { AccountService } from "./modules/account/account.service";
import { ApiKeyResolver } from "./modules/api-key/api-key.resolver";
import { AuditResolver } from "./modules/audit/audit.resolver";
import { AuditService } from "./modules/audit/audit.service";
import { AuthResolver } from "./modules/auth/auth.resolver";
import { AuthService } from "./modules/auth/auth.service";
import { ContactResolver } from "./modules/contact/contact.resolver";
import { PasswordHasher } from "./modules/password/password-hasher";
import { PasswordResolver } from "./modules/password/password.resolver";
import { PasswordService } from "./modules/password/password.service";
import { RealNameResolver } from "./modules/real-name/real-name.resolver";
import { SecurityResolver } from "./modules/security/security.resolver";
import { SessionResolver } from "./modules/session/session.resolver";
import { SessionService } from "./modules/session/session.service";
import { SocialResolver } from "./modules/social/social.resolver";

export interface ServiceDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly dataSource: DataSource;
  readonly redis: Redis | undefined;
}

/** Builds every service once, wires them by hand, and exposes the resolvers as a type-graphql container. */
export function createServices({ config, clock, dataSource, redis }: ServiceDeps) {
  const transaction = createTransactionRunner(dataSource);
  const rateLimiter = createRateLimiterFactory(redis);
  const limits = config.rateLimits;
  const hasher = new PasswordHasher(config.bcryptCost);

  const audit = new AuditService(dataSource, clock);
  const sessions = new SessionService(dataSource, transaction, clock, audit, config.session);
  const accounts = new AccountService(transaction, clock, audit);
  const auth = new AuthService(dataSource, transaction, clock, hasher, sessions, audit, {
    loginByIdentifier: rateLimiter("login-identifier", limits.loginFailuresPerIdentifier),
    loginByIp: rateLimiter("login-ip", limits.loginFailuresPerIp),
    registerByIp: rateLimiter("register-ip", limits.registrationsPerIp),
  });
  const passwords = new PasswordService(
    transaction, clock, hasher, sessions, audit, rateLimiter("password-account", limits.passwordFailuresPerAccount),
  );

  const resolvers = new Map<Function, object>([
    [AccountResolver, new AccountResolver(accounts)],
    [AuthResolver, new AuthResolver(auth, sessions)],
    [PasswordResolver, new PasswordResolver(passwords)],
    [SessionResolver, new SessionResolver(sessions)],
    [AuditResolver, new AuditResolver(audit)],
    [SecurityResolver, new SecurityResolver()],
    [ContactResolver, new ContactResolver()],
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

  return { container, sessions, hasher };
}
