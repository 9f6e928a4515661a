import { FieldResolver, Resolver } from "type-graphql";
import { Account } from "../account/account.types";
import { Contact } from "./contact.types";

@Resolver(() => Account)
export class ContactResolver {
  // Binding email and phone is the contacts workflow; until it lands no account has either.
  @FieldResolver(() => Contact, { nullable: true })
  email(): Contact | null {
    return null;
  }

  @FieldResolver(() => Contact, { nullable: true })
  phone(): Contact | null {
    return null;
  }
}
