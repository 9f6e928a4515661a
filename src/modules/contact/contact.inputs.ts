import { Field, InputType } from "type-graphql";
import { IsEnum, MaxLength } from "../../graphql/constraints";
import { ConfirmChallengeInput } from "../challenge/challenge.inputs";
import { IsContactAddress } from "./contact-address";
import { ContactKind } from "./contact.types";

/** `kind`, in the inputs of the mutations on one bound email or phone (not in the schema itself: no field takes it). */
@InputType()
export class ContactKindInput {
  @Field(() => ContactKind, { description: "EMAIL or PHONE." })
  @IsEnum(ContactKind)
  kind: ContactKind;
}

/** `kind` and `address`, in the inputs of the mutations that bind one. */
@InputType()
export class ContactAddressInput extends ContactKindInput {
  @Field({ description: "An email address, or a mobile number (Chinese numbers may omit +86)." })
  @MaxLength(320, { message: "address is too long" })
  @IsContactAddress()
  address: string;
}

@InputType({ description: "The address startContactBinding sends a code to." })
export class StartContactBindingInput extends ContactAddressInput {}

@InputType({ description: "The challenge startContactBinding returned, and the code sent to the new address." })
export class ConfirmContactBindingInput extends ConfirmChallengeInput {}

@InputType({ description: "Which address startContactUnbinding sends a code to before removing it." })
export class StartContactUnbindingInput extends ContactKindInput {}

@InputType({ description: "The challenge startContactUnbinding returned, and the code sent to the bound address." })
export class ConfirmContactUnbindingInput extends ConfirmChallengeInput {}
