import { ArgsType, Field, ID } from "type-graphql";
import { IsUUID } from "class-validator";

/** `(id: ID!)` for mutations on one item of the account; our ids are UUIDs. */
@ArgsType()
export class IdArgs {
  @Field(() => ID)
  @IsUUID("all", { message: "id must be an id returned by this API" })
  id: string;
}
