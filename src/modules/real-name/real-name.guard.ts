import { UseMiddleware, type MiddlewareInterface, type NextFn, type ResolverData } from "type-graphql";
import { assertThat } from "../../errors";
import type { RequestContext } from "../../graphql/context";
import type { RealNameService } from "./real-name.service";

/** The middleware behind @RequireRealName(): REAL_NAME_REQUIRED unless the account's verification passed. */
export class RealNameGuard implements MiddlewareInterface<RequestContext> {
  constructor(private readonly realName: Pick<RealNameService, "hasPassed">) {}

  async use({ context }: ResolverData<RequestContext>, next: NextFn): Promise<unknown> {
    assertThat(context.auth, "UNAUTHENTICATED");
    assertThat(await this.realName.hasPassed(context.auth.account.id), "REAL_NAME_REQUIRED");
    return next();
  }
}

/**
 * Put on any resolver that must only serve accounts with a passed real-name verification (buying
 * cloud services, by law), e.g. `@RequireRealName() @Mutation(...) purchase(...)`.
 */
export function RequireRealName(): MethodDecorator {
  return UseMiddleware(RealNameGuard);
}
