import { Field, ID, ObjectType } from "type-graphql";

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
