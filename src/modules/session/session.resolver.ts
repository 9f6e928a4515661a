import { Arg, Args, Authorized, Ctx, Extensions, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity, SessionEntity } from "../../entities";
import { MAX_PAGE_SIZE, pageWindow, toConnection, uuidKeysetCursors, type Edge } from "../../graphql/connection";
import type { Authenticated, RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAccount, CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { AuditEventType } from "../audit/audit-event-type";
import { SessionService } from "./session.service";
import {
  RevokeSessionInput,
  RevokeSessionPayload,
  Session,
  SessionConnection,
  SessionsArgs,
  SESSIONS_PAGE_SIZE,
  SignOutOtherSessionsPayload,
} from "./session.types";

@Resolver(() => Account)
export class SessionResolver {
  constructor(private readonly sessionService: SessionService) {}

  // One query for the page, one more to tell whether sessions lie before the cursor paged from.
  @Extensions(FIELD_COST.reads(2))
  @Authorized(SESSION_ONLY)
  @FieldResolver(() => SessionConnection, {
    description: `The sessions signed in now (at most SESSIONS_MAX_PER_ACCOUNT), most recently used first, as a Relay connection paged forward with first/after. The cursors are keyset positions of each session's last use: a session used while you page moves to the front, so later pages no longer show it (the first page read again does). BAD_USER_INPUT for a page size outside 1-${MAX_PAGE_SIZE} or a cursor this API did not give. Sessions only: an API key gets FORBIDDEN (who signed in from where, and which keys exist, are not for a program holding a key).`,
  })
  async sessions(@Root() account: AccountEntity, @Args() args: SessionsArgs, @Ctx() { auth }: RequestContext): Promise<SessionConnection> {
    const page = await this.sessionService.listActive(account.id, pageWindow(args, uuidKeysetCursors.decode, SESSIONS_PAGE_SIZE));
    const toEdge = (session: SessionEntity): Edge<Session> => ({
      cursor: uuidKeysetCursors.encode({ at: session.lastSeenAt, id: session.id }),
      node: { ...session, current: session.id === auth?.session?.id },
    });
    return { ...toConnection(page, toEdge), accountId: account.id };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => SignOutOtherSessionsPayload, {
    description:
      "Signs out every session of the account but this one, gives this one a new token (send `token` from now on: a copy of the old one is signed out too), records OTHER_SESSIONS_SIGNED_OUT in the security log and tells the bound email and phone. Sessions only (an API key gets FORBIDDEN). Needs no step-up: it adds no way in and removes none (revokeSession ends one session without a step-up too), and the owner who finds a stranger's session must be able to end it at once, even without the factor a step-up would ask for; a thief holding a stolen session can only make the owner sign in again, and the notice tells the owner.",
  })
  async signOutOtherSessions(
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
    @Ctx() context: RequestContext,
  ): Promise<SignOutOtherSessionsPayload> {
    const { ids, token, session } = await this.sessionService.signOutOthers(auth, meta);
    context.auth = { ...auth, session };
    return { account: auth.account, revokedSessionIds: ids, token };
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

@Resolver(() => SessionConnection)
export class SessionConnectionResolver {
  constructor(private readonly sessionService: SessionService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Int, { description: "How many sessions are signed in now (one count query: ask only when shown)." })
  totalCount(@Root() connection: SessionConnection): Promise<number> {
    return this.sessionService.countActive(connection.accountId);
  }
}
