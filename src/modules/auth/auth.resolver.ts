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
import { LoginInput, LoginPayload, LogoutPayload, RegisterInput, RegisterPayload } from "./auth.types";

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Mutation(() => RegisterPayload, {
    description: "Creates an account and signs it in. Raises USERNAME_TAKEN, RATE_LIMITED (sign-ups per IP) and BAD_USER_INPUT.",
  })
  register(
    @Arg("input", { description: "The username and password." }) input: RegisterInput,
    @Meta() meta: RequestMeta,
  ): Promise<SignedIn> {
    return this.auth.register(input, meta);
  }

  @Mutation(() => LoginPayload, {
    description:
      "Signs in with a password. The result is a TwoStepChallenge instead of a session when two-step verification is on. Raises INVALID_CREDENTIALS (the same for an unknown identifier), RATE_LIMITED and BAD_USER_INPUT.",
  })
  async login(
    @Arg("input", { description: "The sign-in name and password." }) input: LoginInput,
    @Meta() meta: RequestMeta,
  ): Promise<{ result: SignedIn | TwoStepChallenge }> {
    return { result: await this.auth.login(input, meta) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => LogoutPayload, {
    description: "Signs out the session this request was made with. Sessions only (UNAUTHENTICATED without one, FORBIDDEN for an API key).",
  })
  async logout(@CurrentSession() session: SessionEntity, @Meta() meta: RequestMeta): Promise<LogoutPayload> {
    await this.sessions.revoke(session.accountId, session.id, meta, AuditEventType.SIGN_OUT);
    return { signedOutSessionId: session.id };
  }
}
