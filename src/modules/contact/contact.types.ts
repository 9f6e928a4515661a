import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum ContactKind {
  EMAIL = "EMAIL",
  PHONE = "PHONE",
}
registerEnumType(ContactKind, {
  name: "ContactKind",
  description: "A kind of address a code can be sent to.",
  valuesConfig: {
    EMAIL: { description: "An email address; codes come by email." },
    PHONE: { description: "A mobile number; codes come by SMS." },
  },
});

@ObjectType({
  description: "A bound email or phone. The full address is never returned, only a masked form (a***@example.com, +86 138****5678).",
})
export class Contact {
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
