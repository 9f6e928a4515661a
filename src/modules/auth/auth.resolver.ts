import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import type { SessionEntity } from "../../entities";
import type { RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentSession, Meta } from "../../graphql/current";
import { AuditEventType } from "../audit/audit-event-type";
import { SessionService } from "../session/session.service";
import type { SignedIn } from "../sign-in/sign-in.service";
import { AuthService } from "./auth.service";
import type { TwoStepChallenge } from "../two-step/two-step.types";
import { AuthPayload, LoginInput, LoginResult, RegisterInput } from "./auth.types";

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Mutation(() => AuthPayload, { description: "Creates an account and signs it in." })
  register(@Arg("input") input: RegisterInput, @Meta() meta: RequestMeta): Promise<SignedIn> {
    return this.auth.register(input, meta);
  }

  @Mutation(() => LoginResult, {
    description: "Signs in with a password. Returns a TwoStepChallenge instead of a session when two-step verification is on.",
  })
  login(@Arg("input") input: LoginInput, @Meta() meta: RequestMeta): Promise<SignedIn | TwoStepChallenge> {
    return this.auth.login(input, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Boolean, { description: "Signs out the session this request was made with." })
  logout(@CurrentSession() session: SessionEntity, @Meta() meta: RequestMeta): Promise<boolean> {
    return this.sessions.revoke(session.accountId, session.id, meta, AuditEventType.SIGN_OUT);
  }
}
