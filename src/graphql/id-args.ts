import { ArgsType, Field, ID, InputType } from "type-graphql";
import { IsUUID } from "./constraints";

/**
 * `(id: ID!)` for mutations on one item of the account; our ids are UUIDs. Also an (unlisted) input
 * type, so a mutation's own input (`RevokeSessionInput`) extends it.
 */
@ArgsType()
@InputType()
export class IdArgs {
  @Field(() => ID, { description: "The item's id, as this API returned it." })
  @IsUUID("all", { message: "id must be an id returned by this API" })
  id: string;
}
