import { ArgsType, Field } from "type-graphql";
import { IsEnum, MaxLength } from "class-validator";
import { IsContactAddress } from "./contact-address";
import { ContactKind } from "./contact.types";

@ArgsType()
export class ContactKindArgs {
  @Field(() => ContactKind)
  @IsEnum(ContactKind)
  kind: ContactKind;
}

@ArgsType()
export class ContactAddressArgs extends ContactKindArgs {
  @Field({ description: "An email address, or a mobile number (Chinese numbers may omit +86)." })
  @MaxLength(320, { message: "address is too long" })
  @IsContactAddress()
  address: string;
}
