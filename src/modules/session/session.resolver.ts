import { Args, Authorized, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import type { RequestContext, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAccount, Meta } from "../../graphql/current";
import { IdArgs } from "../../graphql/id-args";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { AuditEventType } from "../audit/audit-event-type";
import { SessionService } from "./session.service";
import { Session } from "./session.types";

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
  @Mutation(() => Boolean, { description: "Signs out one of your sessions. False when no such session is signed in." })
  async revokeSession(@Args() { id }: IdArgs, @CurrentAccount() account: AccountEntity, @Meta() meta: RequestMeta): Promise<boolean> {
    return this.sessionService.revoke(account.id, id, meta, AuditEventType.SESSION_REVOKED);
  }
}
