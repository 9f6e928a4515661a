import { Field, ID, ObjectType } from "type-graphql";

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
