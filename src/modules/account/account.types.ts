import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IsOptional, IsUrl, MaxLength } from "../../graphql/constraints";
import { PLAIN_FIELDS } from "../../graphql/plain-fields";
import { IsUsername } from "./username";

/**
 * The account as clients see it. Resolvers receive the AccountEntity as root; only the fields
 * declared here (and in each module's field resolvers) are ever exposed, never secret columns.
 */
@ObjectType({
  ...PLAIN_FIELDS,
  description:
    "A person's account: who they are and how they sign in. `me` returns the signed-in one; fields other than id, username, avatarUrl and createdAt are read per request.",
})
export class Account {
  @Field(() => ID, { description: "The user ID." })
  id: string;

  @Field({
    description:
      "The unique name, 3-32 letters, digits, _, - or Chinese characters (unique ignoring case); the account may sign in with it.",
  })
  username: string;

  @Field(() => String, { nullable: true, description: "An https URL of the picture the account chose, or null." })
  avatarUrl: string | null;

  @Field({ description: "When the account signed up." })
  createdAt: Date;
}

@ObjectType({ ...PLAIN_FIELDS, description: "What the account may do, given its verifications and bindings." })
export class Capabilities {
  @Field(() => ID, { description: "`<account id>:capabilities`: one per account, the same in every query." })
  id: string;

  @Field({ description: "Real-name verification passed." })
  canPurchase: boolean;

  @Field({ description: "An Alipay account is bound." })
  canWithdraw: boolean;
}

@InputType({ description: "The profile fields to change; omitted fields keep their value." })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: "Unique ignoring case. Omit or null to keep it." })
  @IsOptional()
  @IsUsername()
  username?: string | null;

  @Field(() => String, { nullable: true, description: "An https URL up to 2048 characters. null removes the avatar." })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ["https"], require_protocol: true, require_tld: true, disallow_auth: true, allow_underscores: true },
    { message: "avatarUrl must be an absolute https URL" },
  )
  avatarUrl?: string | null;
}

@ObjectType({ description: "What updateProfile changed." })
export class UpdateProfilePayload {
  @Field(() => Account, { description: "The account with its new username and/or avatar." })
  account: Account;
}
