import { ArgsType, Field, ID, InputType } from "type-graphql";
import { IsUUID } from "class-validator";

/** `(id: ID!)` for mutations on one item of the account, or an input's `id` field; our ids are UUIDs. */
@ArgsType()
@InputType()
export class IdArgs {
  @Field(() => ID, { description: "The item's id, as this API returned it." })
  @IsUUID("all", { message: "id must be an id returned by this API" })
  id: string;
}
