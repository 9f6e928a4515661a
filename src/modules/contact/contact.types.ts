import { Field, ID, ObjectType } from "type-graphql";
import { Account } from "../account/account.types";
import { Challenge } from "../challenge/challenge.types";
import { ContactKind } from "../factors/vocabulary";
import { PLAIN_FIELDS } from "../../graphql/plain-fields";

// Defined with the rest of the vocabulary (one module without imports, so no import cycle reaches it).
export { ContactKind };

@ObjectType({
  ...PLAIN_FIELDS,
  description: "A bound email or phone. The full address is never returned, only a masked form (a***@example.com, +86 138****5678).",
})
export class Contact {
  @Field(() => ID, {
    description: "`<account id>:email` or `<account id>:phone`: the account's email (phone) keeps its id when the address is replaced.",
  })
  id: string;

  @Field(() => ContactKind, { description: "EMAIL or PHONE." })
  kind: ContactKind;

  @Field({ description: "The address, masked: a***@example.com, +86 138****5678." })
  masked: string;

  @Field({ description: "When the address was proven with a code." })
  verifiedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "Set while the address is cooling (bound without a step-up): until then it serves for no step-up, two-step sign-in or password reset.",
  })
  usableFrom: Date | null;
}

@ObjectType({ description: "What startContactBinding started." })
export class StartContactBindingPayload {
  @Field(() => Challenge, { description: "The code sent to the new address: confirm it with confirmContactBinding." })
  challenge: Challenge;
}

@ObjectType({ description: "What confirmContactBinding changed." })
export class ConfirmContactBindingPayload {
  @Field(() => Contact, { description: "The newly bound email or phone (it replaced the one of its kind, if any)." })
  contact: Contact;

  @Field(() => Account, { description: "The account, with the new address and the security settings it changed." })
  account: Account;
}

@ObjectType({ description: "What startContactUnbinding started." })
export class StartContactUnbindingPayload {
  @Field(() => Challenge, { description: "The code sent to the bound address: confirm it with confirmContactUnbinding." })
  challenge: Challenge;
}

@ObjectType({ description: "What confirmContactUnbinding changed." })
export class ConfirmContactUnbindingPayload {
  @Field(() => ID, { description: "The id of the Contact that was removed." })
  unboundContactId: string;

  @Field(() => Account, {
    description: "The account without the address (and with two-step verification off when nothing else was left to verify with).",
  })
  account: Account;
}
