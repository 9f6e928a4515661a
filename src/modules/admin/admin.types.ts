import { Field, ID, InputType, ObjectType } from "type-graphql";
import { IsUUID, MaxLength, MinLength } from "../../graphql/constraints";
import { ContactAddressInput } from "../contact/contact.inputs";
import { Contact } from "../contact/contact.types";

@ObjectType({ description: "What support sees of an account after replacing a contact: no sessions, keys or security log." })
export class SupportAccountView {
  @Field(() => ID, { description: "The account's id." })
  id: string;

  @Field({ description: "The account's username." })
  username: string;

  @Field(() => Contact, { nullable: true, description: "The bound email, masked, as it is now." })
  email: Contact | null;

  @Field(() => Contact, { nullable: true, description: "The bound mobile number, masked, as it is now." })
  phone: Contact | null;
}

@InputType({ description: "Whose email or phone adminReplaceContact replaces, with what, and why." })
export class AdminReplaceContactInput extends ContactAddressInput {
  @Field(() => ID, { description: "The user ID of the account (not a staff account, nor the caller's own)." })
  @IsUUID("all", { message: "accountId must be a user ID" })
  accountId: string;

  @Field({ description: "Why, for the user's security log: e.g. the ticket number and how identity was checked." })
  @MinLength(3, { message: "reason must say why, in at least 3 characters" })
  @MaxLength(500, { message: "reason must be at most 500 characters" })
  reason: string;
}

@ObjectType({ description: "What adminReplaceContact changed." })
export class AdminReplaceContactPayload {
  @Field(() => Contact, { description: "The new email or phone, bound (and usable) at once." })
  contact: Contact;

  @Field(() => SupportAccountView, { description: "The user's account as support sees it, with the new address." })
  account: SupportAccountView;
}
