import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import type { RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAccount, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { AuditEventType } from "../audit/audit-event-type";
import { SessionService } from "./session.service";
import { RevokeSessionInput, RevokeSessionPayload, Session } from "./session.types";

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
  @Mutation(() => RevokeSessionPayload, {
    description:
      "Signs out one of your sessions (the current one too). Sessions only: UNAUTHENTICATED without one, FORBIDDEN for an API key; BAD_USER_INPUT for an id that is not a UUID.",
  })
  async revokeSession(
    @Arg("input") { id }: RevokeSessionInput,
    @CurrentAccount() account: AccountEntity,
    @Meta() meta: RequestMeta,
  ): Promise<RevokeSessionPayload> {
    await this.sessionService.revoke(account.id, id, meta, AuditEventType.SESSION_REVOKED);
    return { revokedSessionId: id, account };
  }
}
