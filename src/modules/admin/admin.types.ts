import { Field, ID, ObjectType } from "type-graphql";
import { Contact } from "../contact/contact.types";

@ObjectType({ description: "What support sees of an account after replacing a contact: no sessions, keys or security log." })
export class SupportAccountView {
  @Field(() => ID)
  id: string;

  @Field()
  username: string;

  @Field(() => Contact, { nullable: true })
  email: Contact | null;

  @Field(() => Contact, { nullable: true })
  phone: Contact | null;
}
