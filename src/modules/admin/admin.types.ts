import { Field, ID, ObjectType } from "type-graphql";
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
