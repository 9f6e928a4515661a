import type Redis from "ioredis";
import type { DataSource } from "typeorm";
import type { ClassType, ContainerType } from "type-graphql";
import type { Config } from "./config";
import type { BackgroundTasks } from "./core/background";
import type { Clock } from "./core/clock";
import { DataCipher } from "./core/cipher";
import { deriveKey, type DataKey } from "./core/data-key";
import type { Logger } from "./core/logger";
import type { Metrics } from "./core/metrics";
import { createRateLimiterFactory } from "./core/rate-limiter";
import { LookupCache, shareInvalidationsThroughRedis, watchWrites, type Invalidatable } from "./db/lookup-cache";
import { startSweeper } from "./db/sweeper";
import { createTransactionRunner } from "./db/transactions";
import { AccountEntity, ApiKeyEntity, SessionEntity } from "./entities";
import { ACCOUNT_ROW_ENTITIES, AccountRowsCache } from "./modules/account/account-rows";
import { AccountResolver } from "./modules/account/account.resolver";
import { AccountService } from "./modules/account/account.service";
import { TakenAnswers } from "./modules/account/taken-answers";
import { AdminResolver } from "./modules/admin/admin.resolver";
import { AdminService } from "./modules/admin/admin.service";
import { ApiKeyConnectionResolver, ApiKeyResolver } from "./modules/api-key/api-key.resolver";
import { ApiKeyService } from "./modules/api-key/api-key.service";
import { AuditEventConnectionResolver, AuditResolver } from "./modules/audit/audit.resolver";
import { AuditService } from "./modules/audit/audit.service";
import { AuthResolver } from "./modules/auth/auth.resolver";
import { AuthService } from "./modules/auth/auth.service";
import { ChallengeService } from "./modules/challenge/challenge.service";
import { ContactResolver } from "./modules/contact/contact.resolver";
import { ContactService } from "./modules/contact/contact.service";
import { FactorsService } from "./modules/factors/factors.service";
import { SecondFactorVerifier } from "./modules/factors/second-factor-verifier";
import { NoticeService } from "./modules/notice/notice.service";
import { PasswordResetResolver } from "./modules/password-reset/password-reset.resolver";
import { PasswordResetService } from "./modules/password-reset/password-reset.service";
import { PasswordHasher } from "./modules/password/password-hasher";
import { PasswordVerifier } from "./modules/password/password-verifier";
import { PasswordResolver } from "./modules/password/password.resolver";
import { PasswordService } from "./modules/password/password.service";
import { RealNameGuard } from "./modules/real-name/real-name.guard";
import { RealNameResolver } from "./modules/real-name/real-name.resolver";
import { RealNameService } from "./modules/real-name/real-name.service";
import { SecurityResolver } from "./modules/security/security.resolver";
import { DEVICE_FIELDS } from "./modules/session/device-fields";
import { SessionConnectionResolver, SessionResolver } from "./modules/session/session.resolver";
import { SessionService } from "./modules/session/session.service";
import { SignInService } from "./modules/sign-in/sign-in.service";
import { SocialResolver } from "./modules/social/social.resolver";
import { SocialService } from "./modules/social/social.service";
import { StepUpHintsResolver, StepUpResolver } from "./modules/step-up/step-up.resolver";
import { StepUpService } from "./modules/step-up/step-up.service";
import { TotpResolver } from "./modules/totp/totp.resolver";
import { TotpService } from "./modules/totp/totp.service";
import { TwoStepResolver } from "./modules/two-step/two-step.resolver";
import { TwoStepService } from "./modules/two-step/two-step.service";
import type { Authenticated } from "./graphql/context";
import { unavailableOr } from "./errors";
import { QR_CODE_FIELDS } from "./graphql/qr-code-fields";
import type { IdentityVerifiers } from "./providers/identity/registry";
import type { OAuthProviders } from "./providers/oauth/registry";
import type { Providers } from "./providers/registry";

export interface ServiceDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly redis: Redis | undefined;
  readonly providers: Providers;
  readonly oauth: OAuthProviders;
  readonly identity: IdentityVerifiers;
  readonly background: BackgroundTasks;
  /** The resolved DATA_ENCRYPTION_KEY; each use derives its own key from it. */
  readonly dataKey: DataKey;
  readonly metrics: Metrics;
}

/**
 * The caches in front of the authentication lookups and of the account center's page, which drop
 * what a write touches: in this process through TypeORM's events, in the others through Redis when
 * there is one (one channel for both).
 */
function createCaches({ config, clock, logger, dataSource, redis, metrics }: ServiceDeps) {
  const auth = new LookupCache(clock, config.authCacheSeconds, (hit) => metrics.observeAuthCache(hit));
  const rows = new AccountRowsCache(dataSource.manager, clock, config.authCacheSeconds, (hit) => metrics.observeAccountRowsCache(hit));
  if (config.authCacheSeconds === 0) return { auth, rows, dispose: () => undefined };
  const both: Invalidatable = {
    invalidate: (touched) => {
      auth.invalidate(touched);
      rows.invalidate(touched);
    },
    clear: () => {
      auth.clear();
      rows.clear();
    },
  };
  const shared = redis ? shareInvalidationsThroughRedis(redis, config.redisPrefix, both, logger) : undefined;
  // A new account, session or key is no row the authentication cache has found, so a sign-in (a
  // session inserted) drops nothing and publishes nothing; a new identity or authenticator changes a page.
  const watched = { changed: [AccountEntity, SessionEntity, ApiKeyEntity, ...ACCOUNT_ROW_ENTITIES], inserted: ACCOUNT_ROW_ENTITIES };
  const unwatch = watchWrites(dataSource, watched, (touched) => {
    both.invalidate(touched);
    shared?.publish(touched);
  });
  return {
    auth,
    rows,
    dispose: () => {
      unwatch();
      shared?.stop();
    },
  };
}

/** Builds every service once, wires them by hand, and exposes the resolvers as a type-graphql container. */
export function createServices(deps: ServiceDeps) {
  const { config, clock, logger, dataSource, redis, providers, oauth, identity, background, dataKey, metrics } = deps;
  const transaction = createTransactionRunner(dataSource);
  const rateLimiter = createRateLimiterFactory(redis, config.redisPrefix, (limiter) => metrics.observeRateLimited(limiter));
  const limits = config.rateLimits;
  const hasher = new PasswordHasher(config.bcryptCost);

  const cipher = new DataCipher(dataKey, config.previousDataEncryptionKeys);
  const localFactors = new SecondFactorVerifier(
    dataSource,
    transaction,
    clock,
    cipher,
    deriveKey(dataKey.key, "recovery-code"),
    rateLimiter("second-factor-account", limits.secondFactorFailuresPerAccount),
  );
  const audit = new AuditService(dataSource, clock, transaction, background);
  const { auth: cache, rows, dispose: disposeCache } = createCaches(deps);
  const notices = new NoticeService(clock, logger, providers, background);
  const sessions = new SessionService(dataSource, transaction, clock, audit, config.session, cache, notices);
  const passwordVerifier = new PasswordVerifier(hasher, rateLimiter("password-account", limits.passwordFailuresPerAccount));
  const challenges = new ChallengeService(
    dataSource,
    transaction,
    clock,
    logger,
    audit,
    providers,
    deriveKey(dataKey.key, "challenge-code"),
    config,
    rateLimiter,
  );
  const factors = new FactorsService(dataSource, clock, challenges, localFactors, passwordVerifier);
  const stepUp = new StepUpService(dataSource, transaction, clock, audit, challenges, factors, sessions, {
    ttlSeconds: config.stepUpTtlSeconds,
    newFactorCooldownSeconds: config.newFactorCooldownSeconds,
  });
  const twoStep = new TwoStepService(dataSource, transaction, clock, audit, stepUp, notices);
  const signIn = new SignInService(transaction, audit, sessions, challenges, factors);
  const takenAnswers = new TakenAnswers(
    rateLimiter("taken-account", limits.takenAnswersPerAccount),
    rateLimiter("taken-ip", limits.takenAnswersPerIp),
  );
  const accounts = new AccountService(transaction, clock, audit, takenAnswers, notices);
  const auth = new AuthService(
    dataSource,
    transaction,
    clock,
    hasher,
    audit,
    {
      loginByIdentifier: rateLimiter("login-identifier", limits.loginFailuresPerIdentifier),
      loginByIp: rateLimiter("login-ip", limits.loginFailuresPerIp),
      registerByIp: rateLimiter("register-ip", limits.registrationsPerIp),
    },
    signIn,
  );
  const passwords = new PasswordService(transaction, clock, hasher, passwordVerifier, sessions, audit, stepUp, notices);
  const resets = new PasswordResetService(dataSource, transaction, clock, hasher, audit, challenges, notices, background);
  const contacts = new ContactService(dataSource, transaction, clock, audit, challenges, stepUp, notices, takenAnswers);
  const admin = new AdminService(dataSource, transaction, clock, audit, challenges, stepUp, notices);
  const totp = new TotpService(dataSource, transaction, clock, cipher, audit, stepUp, localFactors, notices, config.totpIssuer);
  const apiKeys = new ApiKeyService(dataSource, transaction, clock, audit, stepUp, notices, cache, config.apiKeysMaxPerAccount);
  const social = new SocialService(dataSource, transaction, clock, audit, oauth, signIn, stepUp, notices, config, logger, {
    bindingStartsByAccount: rateLimiter("oauth-start-account", limits.providerStartsPerAccount),
    loginStartsByIp: rateLimiter("oauth-start-ip", limits.providerStartsPerIp),
  });
  const realName = new RealNameService(
    dataSource,
    transaction,
    clock,
    logger,
    cipher,
    deriveKey(dataKey.key, "id-number"),
    audit,
    stepUp,
    identity.verifier,
    config,
    {
      startsByAccount: rateLimiter("real-name-account", limits.realNameStartsPerAccount),
      startsByIp: rateLimiter("real-name-ip", limits.realNameStartsPerIp),
    },
  );

  const resolvers = new Map<ClassType, object>([
    [AccountResolver, new AccountResolver(accounts, rows)],
    [RealNameGuard, new RealNameGuard(realName)],
    [AuthResolver, new AuthResolver(auth, sessions)],
    [PasswordResolver, new PasswordResolver(passwords)],
    [PasswordResetResolver, new PasswordResetResolver(resets)],
    [SessionResolver, new SessionResolver(sessions)],
    [SessionConnectionResolver, new SessionConnectionResolver(sessions)],
    [AuditResolver, new AuditResolver(audit)],
    [AuditEventConnectionResolver, new AuditEventConnectionResolver(audit)],
    [StepUpResolver, new StepUpResolver(stepUp)],
    [StepUpHintsResolver, new StepUpHintsResolver(stepUp)],
    [ContactResolver, new ContactResolver(contacts, rows, clock)],
    [AdminResolver, new AdminResolver(admin)],
    [SecurityResolver, new SecurityResolver(rows, clock)],
    [TotpResolver, new TotpResolver(totp)],
    [TwoStepResolver, new TwoStepResolver(twoStep, signIn)],
    [SocialResolver, new SocialResolver(social, rows)],
    [RealNameResolver, new RealNameResolver(realName, rows)],
    [ApiKeyResolver, new ApiKeyResolver(apiKeys, clock)],
    [ApiKeyConnectionResolver, new ApiKeyConnectionResolver(apiKeys)],
    ...[...QR_CODE_FIELDS, ...DEVICE_FIELDS].map((field) => [field, new field()] as const),
  ]);
  const container: ContainerType = {
    get: (resolverClass: ClassType) => {
      const resolver = resolvers.get(resolverClass);
      if (!resolver) throw new Error(`No instance wired for ${resolverClass.name}`);
      return resolver;
    },
  };

  /** Who a bearer token belongs to: a session (`ses_`) or an API key (`ak_`); one indexed lookup either way. */
  // Runs in Apollo's context function, whose failures Apollo answers as HTTP 500 under its own
  // message: a database that is away is said here, as SERVICE_UNAVAILABLE with HTTP 503.
  const authenticate = async (token: string): Promise<Authenticated | null> => {
    try {
      return (await sessions.authenticate(token)) ?? (await apiKeys.authenticate(token));
    } catch (error) {
      throw unavailableOr(error);
    }
  };

  metrics.watchSmsBudget(() => challenges.smsBudgetLeft());
  const sweeper = startSweeper(dataSource, clock, logger, background, config.sweepIntervalSeconds);
  return {
    container,
    authenticate,
    persistedQueryRegistrations: rateLimiter("persisted-query-ip", limits.persistedQueryRegistrationsPerIp),
    dispose: () => {
      sweeper.stop();
      disposeCache();
    },
  };
}
