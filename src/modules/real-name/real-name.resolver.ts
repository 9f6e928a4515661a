import { FieldResolver, Resolver } from "type-graphql";
import { Account } from "../account/account.types";
import { RealNameStatus, RealNameVerification } from "./real-name.types";

@Resolver(() => Account)
export class RealNameResolver {
  // The real-name workflow fills this when it lands.
  @FieldResolver(() => RealNameVerification)
  realName(): RealNameVerification {
    return { status: RealNameStatus.NOT_STARTED };
  }
}
