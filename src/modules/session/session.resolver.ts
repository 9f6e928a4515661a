import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import type { Authenticated, RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAccount, CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { AuditEventType } from "../audit/audit-event-type";
import { SessionService } from "./session.service";
import { RevokeSessionInput, RevokeSessionPayload, Session, SignOutOtherSessionsPayload } from "./session.types";

@Resolver(() => Account)
export class SessionResolver {
  constructor(private readonly sessionService: SessionService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => [Session], { description: "Sessions that are signed in now, most recently used first." })
  async sessions(@Root() account: AccountEntity, @Ctx() { auth }: RequestContext): Promise<Session[]> {
    const sessions = await this.sessionService.listActive(account.id);
    return sessions.map((session) => ({ ...session, current: session.id === auth?.session?.id }));
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => SignOutOtherSessionsPayload, {
    description:
      "Signs out every session of the account but this one, records OTHER_SESSIONS_SIGNED_OUT in the security log and tells the bound email and phone. Sessions only (an API key gets FORBIDDEN). Needs no step-up: it adds no way in and removes none (revokeSession ends one session without a step-up too), and the owner who finds a stranger's session must be able to end it at once, even without the factor a step-up would ask for; a thief holding a stolen session can only make the owner sign in again, and the notice tells the owner.",
  })
  async signOutOtherSessions(@CurrentAuth() auth: Authenticated, @Meta() meta: RequestMeta): Promise<SignOutOtherSessionsPayload> {
    const revokedSessionIds = await this.sessionService.signOutOthers(auth, meta);
    return { account: auth.account, revokedSessionIds };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => RevokeSessionPayload, {
    description:
      "Signs out one of your sessions (the current one too). Sessions only: UNAUTHENTICATED without one, FORBIDDEN for an API key; BAD_USER_INPUT for an id that is not a UUID.",
  })
  async revokeSession(
    @Arg("input", { description: "The session to sign out." }) { id }: RevokeSessionInput,
    @CurrentAccount() account: AccountEntity,
    @Meta() meta: RequestMeta,
  ): Promise<RevokeSessionPayload> {
    await this.sessionService.revoke(account.id, id, meta, AuditEventType.SESSION_REVOKED);
    return { revokedSessionId: id, account };
  }
}
