import { randomBytes, randomUUID } from "node:crypto";
import { IsNull, type DataSource } from "typeorm";
import type { Config } from "../../config";
import { addSeconds, type Clock } from "../../core/clock";
import { ipBudgetKey } from "../../core/ip-key";
import type { Logger } from "../../core/logger";
import { perRow } from "../../core/per-row";
import type { RateLimiter, Spend } from "../../core/rate-limiter";
import { randomToken, sha256Hex } from "../../core/crypto";
import { isAllowedRedirect } from "../../core/redirect-origins";
import { isUniqueViolation } from "../../db/data-source";
import { namingRows } from "../../db/lookup-cache";
import type { TransactionRunner } from "../../db/transactions";
import { AccountEntity, IdentityEntity, OAuthStateEntity, type OAuthStatePurpose } from "../../entities";
import { AppError, assertThat } from "../../errors";
import { accountPartId } from "../../graphql/account-part-id";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import type { OAuthProviders } from "../../providers/oauth/registry";
import { ProviderError, providerErrorToAppError } from "../../providers/provider-error";
import type { OAuthProfile, OAuthProvider } from "../../providers/types";
import { AuditEventType } from "../audit/audit-event-type";
import type { AuditService } from "../audit/audit.service";
import { isUsable } from "../factors/usable";
import { keepsSignInMethod } from "../contact/sign-in-methods";
import type { NoticeService, SendNotice } from "../notice/notice.service";
import type { SignedIn, SignInService } from "../sign-in/sign-in.service";
import { SensitiveAction } from "../step-up/sensitive-action";
import type { StepUpService } from "../step-up/step-up.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import { ProviderKind, type LinkedIdentity, type ProviderAuthorization, type ProviderInfo } from "./social.types";

const STATE_TTL_SECONDS = 600;

/** What a client may see of a bound provider account. */
// Once per row: the page reads its identities from a cache, and parsing the profile on every read showed in its profile.
const toLinkedIdentity = perRow((row: IdentityEntity): LinkedIdentity => {
  const kind = row.kind as ProviderKind;
  const profile = JSON.parse(row.profile ?? "{}") as { displayName?: string | null; avatarUrl?: string | null };
  return {
    id: accountPartId(row.accountId, kind),
    provider: kind,
    displayName: profile.displayName ?? null,
    avatarUrl: profile.avatarUrl ?? null,
    boundAt: row.verifiedAt,
  };
});

/** The account after a binding, with the provider account it bound. */
export interface ProviderBound {
  readonly account: AccountEntity;
  readonly identity: LinkedIdentity;
}

/** Each start writes a state row: per account for binding, per IP for the unauthenticated sign-in. */
export interface SocialLimiters {
  readonly bindingStartsByAccount: RateLimiter;
  readonly loginStartsByIp: RateLimiter;
}

/** The provider accounts among an account's identities (read oldest first), as a client may see them. */
export function linkedIdentities(identities: readonly IdentityEntity[]): LinkedIdentity[] {
  const providers = new Set<string>(Object.values(ProviderKind));
  return identities.filter((row) => providers.has(row.kind)).map(toLinkedIdentity);
}

export class SocialService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly oauth: OAuthProviders,
    private readonly signIn: SignInService,
    private readonly stepUp: StepUpService,
    private readonly notices: NoticeService,
    private readonly config: Pick<Config, "publicOrigin" | "redirectOrigins" | "signUpWithProviders">,
    private readonly logger: Logger,
    private readonly limiters: SocialLimiters,
  ) {}

  providers(): ProviderInfo[] {
    return Object.values(ProviderKind).map((kind) => ({ id: kind, kind, enabled: this.oauth.byKind.has(kind) }));
  }

  async hasIdentity(accountId: string, kind: ProviderKind): Promise<boolean> {
    return this.dataSource.getRepository(IdentityEntity).existsBy({ accountId, kind });
  }

  /** The authorize URL (and, for Alipay, its QR code) with a fresh state bound to this account. */
  async startBinding(auth: Authenticated, kind: ProviderKind, redirectUri: string): Promise<ProviderAuthorization> {
    if (await this.hasIdentity(auth.account.id, kind)) {
      throw AppError.badInput("provider", "ALREADY_BOUND", `a ${kind} account is already bound; unbind it first`);
    }
    await this.stepUp.requireStepUp(auth, SensitiveAction.BIND_PROVIDER);
    return this.authorize("BIND", kind, redirectUri, auth.account.id, [this.limiters.bindingStartsByAccount, auth.account.id]);
  }

  /**
   * Exchanges the code and binds the provider account, unless another account has it. Checked
   * before the state is used up, so a client asked to step up can retry with the same state.
   */
  async completeBinding(auth: Authenticated, kind: ProviderKind, code: string, state: string, meta: RequestMeta): Promise<ProviderBound> {
    const { newFactorUsableFrom } = await this.stepUp.requireStepUp(auth, SensitiveAction.BIND_PROVIDER);
    const grant = await this.consumeState("BIND", kind, state, auth.account.id);
    const profile = await this.exchange(kind, code, grant.redirectUri);
    const row = { ...this.identityRow(auth.account.id, kind, profile), usableFrom: newFactorUsableFrom };
    let sendNotice: SendNotice;
    try {
      sendNotice = await this.transaction(async (manager) => {
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, subject: profile.subject })), "IDENTITY_TAKEN");
        assertThat(!(await manager.existsBy(IdentityEntity, { kind, accountId: auth.account.id })), "IDENTITY_TAKEN");
        const notice = await this.notices.wayInChanged(manager, auth.account.id, "PROVIDER_BOUND");
        await manager.insert(IdentityEntity, row);
        await this.audit.record(manager, auth.account.id, AuditEventType.PROVIDER_BOUND, meta, { provider: kind });
        return notice;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("IDENTITY_TAKEN");
      throw error;
    }
    sendNotice();
    const account = await this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: auth.account.id });
    return { account, identity: toLinkedIdentity(row) };
  }

  /** Needs a recent step-up and never removes the last way to sign in. */
  async unbind(auth: Authenticated, kind: ProviderKind, meta: RequestMeta): Promise<AccountEntity> {
    const accountId = auth.account.id;
    if (!(await this.hasIdentity(accountId, kind))) throw AppError.badInput("provider", "NOT_BOUND", `no ${kind} account is bound`);
    await this.stepUp.requireStepUp(auth, SensitiveAction.UNBIND_PROVIDER);
    const sendNotice = await this.transaction(async (manager) => {
      const notice = await this.notices.wayInChanged(manager, accountId, "PROVIDER_UNBOUND");
      await namingRows(manager, [{ accountId }], () => manager.delete(IdentityEntity, { accountId, kind }));
      const remaining = await manager.findBy(IdentityEntity, { accountId });
      assertThat(keepsSignInMethod(auth.account, remaining, this.clock.now()), "LAST_SIGN_IN_METHOD");
      await this.audit.record(manager, accountId, AuditEventType.PROVIDER_UNBOUND, meta, { provider: kind });
      return notice;
    });
    sendNotice();
    return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  }

  startLogin(kind: ProviderKind, redirectUri: string, meta: RequestMeta): Promise<ProviderAuthorization> {
    return this.authorize("LOGIN", kind, redirectUri, null, [this.limiters.loginStartsByIp, ipBudgetKey(meta.ip)]);
  }

  /**
   * Signs in the account bound to the provider account, through two-step verification when it is
   * on. An unbound provider account gets IDENTITY_NOT_BOUND, or a new account when PROVIDER_SIGN_UP is on.
   * A provider account still cooling (bound without a step-up) gets IDENTITY_COOLING: else a stolen
   * session could bind the thief's own provider account and keep signing in with it. Only the holder
   * of the provider account can reach this answer, so it tells nobody else anything.
   */
  async login(kind: ProviderKind, code: string, state: string, meta: RequestMeta): Promise<SignedIn | TwoStepChallenge> {
    const grant = await this.consumeState("LOGIN", kind, state, null);
    const profile = await this.exchange(kind, code, grant.redirectUri);
    const identity = await this.dataSource.getRepository(IdentityEntity).findOneBy({ kind, subject: profile.subject });
    if (identity && !isUsable(identity, this.clock.now())) throw new AppError("IDENTITY_COOLING");
    const account = identity
      ? await this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: identity.accountId })
      : await this.signUp(kind, profile, meta);
    return this.signIn.completeSignIn(account, kind, meta);
  }

  private async signUp(kind: ProviderKind, profile: OAuthProfile, meta: RequestMeta): Promise<AccountEntity> {
    assertThat(this.config.signUpWithProviders, "IDENTITY_NOT_BOUND");
    const now = this.clock.now();
    const username = `${kind.toLowerCase()}_${randomBytes(6).toString("hex")}`;
    const account = this.dataSource.getRepository(AccountEntity).create({
      id: randomUUID(),
      username,
      usernameNormalized: username,
      passwordHash: null,
      passwordChangedAt: null,
      avatarUrl: profile.avatarUrl?.startsWith("https://") ? profile.avatarUrl : null,
      twoStepEnabled: false,
      roles: "",
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.transaction(async (manager) => {
        await manager.insert(AccountEntity, account);
        await manager.insert(IdentityEntity, this.identityRow(account.id, kind, profile));
        await this.audit.record(manager, account.id, AuditEventType.ACCOUNT_CREATED, meta, { provider: kind });
      });
    } catch (error) {
      // Two first sign-ins of one provider account at once: the other created it; use that one.
      if (!isUniqueViolation(error)) throw error;
      const identity = await this.dataSource.getRepository(IdentityEntity).findOneByOrFail({ kind, subject: profile.subject });
      return this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: identity.accountId });
    }
    return account;
  }

  private async authorize(
    purpose: OAuthStatePurpose,
    kind: ProviderKind,
    redirectUri: string,
    accountId: string | null,
    [limiter, key]: Spend,
  ): Promise<ProviderAuthorization> {
    const provider = this.enabled(kind);
    if (!isAllowedRedirect(redirectUri, this.config)) {
      throw AppError.badInput(
        "redirectUri",
        "REDIRECT_NOT_ALLOWED",
        "redirectUri must be on this server's origin or one of REDIRECT_ORIGINS",
      );
    }
    await limiter.consume(key);
    const state = randomToken("st", 24);
    const now = this.clock.now();
    const expiresAt = addSeconds(now, STATE_TTL_SECONDS);
    await this.transaction((manager) =>
      manager.insert(OAuthStateEntity, {
        id: randomUUID(),
        stateHash: sha256Hex(state),
        purpose,
        provider: kind,
        accountId,
        redirectUri,
        expiresAt,
        consumedAt: null,
        createdAt: now,
      }),
    );
    const authorizeUrl = provider.authorizationUrl(state, redirectUri);
    return { provider: kind, authorizeUrl, state, expiresAt };
  }

  /** Uses the state up: it must be ours, unused, unexpired, and for this purpose, provider and account. */
  private async consumeState(
    purpose: OAuthStatePurpose,
    kind: ProviderKind,
    state: string,
    accountId: string | null,
  ): Promise<OAuthStateEntity> {
    const grant = await this.dataSource.getRepository(OAuthStateEntity).findOneBy({ stateHash: sha256Hex(state) });
    const ours =
      grant && grant.purpose === purpose && grant.provider === (kind as string) && grant.accountId === accountId && !grant.consumedAt;
    if (!ours) throw new AppError("CODE_INVALID");
    if (grant.expiresAt <= this.clock.now()) throw new AppError("CODE_EXPIRED");
    const used = await this.transaction((manager) =>
      manager.update(OAuthStateEntity, { id: grant.id, consumedAt: IsNull() }, { consumedAt: this.clock.now() }),
    );
    assertThat(used.affected, "CODE_INVALID");
    return grant;
  }

  private async exchange(kind: ProviderKind, code: string, redirectUri: string): Promise<OAuthProfile> {
    try {
      return await this.enabled(kind).exchangeCode(code, redirectUri);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn(
        { provider: kind, code: error.code, vendorCode: error.vendorCode, reason: error.message },
        "provider refused or failed a code exchange",
      );
      throw providerErrorToAppError(error);
    }
  }

  private enabled(kind: ProviderKind): OAuthProvider {
    const provider = this.oauth.byKind.get(kind);
    if (!provider) throw AppError.badInput("provider", "PROVIDER_NOT_ENABLED", `${kind} is not enabled on this deployment`);
    return provider;
  }

  private identityRow(accountId: string, kind: ProviderKind, profile: OAuthProfile): IdentityEntity {
    const now = this.clock.now();
    return {
      id: randomUUID(),
      accountId,
      kind,
      subject: profile.subject,
      verifiedAt: now,
      profile: JSON.stringify({ displayName: profile.displayName, avatarUrl: profile.avatarUrl }),
      usableFrom: null,
      createdAt: now,
    };
  }
}
