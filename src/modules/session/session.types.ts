import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IdArgs } from "../../graphql/id-args";
import { Account } from "../account/account.types";

@ObjectType({ description: "A signed-in device or browser." })
export class Session {
  @Field(() => ID, { description: "Stable id of the session; revokeSession takes it." })
  id: string;

  @Field({ description: "True for the session this request was made with." })
  current: boolean;

  @Field({ description: "When it signed in." })
  createdAt: Date;

  @Field({ description: "When it last made a request (updated at most once a minute)." })
  lastSeenAt: Date;

  @Field(() => String, {
    nullable: true,
    description: "The User-Agent header it signed in with (up to 512 characters); null when none was sent.",
  })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: "The client IP address it signed in from; null when unknown." })
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
