import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IdArgs } from "../../graphql/id-args";
import { Account } from "../account/account.types";

@ObjectType({ description: "A signed-in device or browser." })
export class Session {
  @Field(() => ID)
  id: string;

  @Field({ description: "True for the session this request was made with." })
  current: boolean;

  @Field()
  createdAt: Date;

  @Field()
  lastSeenAt: Date;

  @Field(() => String, { nullable: true })
  userAgent: string | null;

  @Field(() => String, { nullable: true })
  ip: string | null;
}

@InputType({ description: "Which session to sign out: id is one of Account.sessions." })
export class RevokeSessionInput extends IdArgs {}

@ObjectType({ description: "What revokeSession returns." })
export class RevokeSessionPayload {
  @Field(() => ID, {
    description:
      "The session asked for, which is signed out now: by this call, or before it (an id that is not a signed-in session of this account changes nothing and answers the same).",
  })
  revokedSessionId: string;

  @Field(() => Account, { description: "The account, whose sessions no longer list the revoked one." })
  account: Account;
}
