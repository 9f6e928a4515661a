import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum ContactKind {
  EMAIL = "EMAIL",
  PHONE = "PHONE",
}
registerEnumType(ContactKind, { name: "ContactKind" });

@ObjectType({
  description: "A bound email or phone. The full address is never returned, only a masked form (a***@example.com, +86 138****5678).",
})
export class Contact {
  @Field(() => ContactKind)
  kind: ContactKind;

  @Field()
  masked: string;

  @Field()
  verifiedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "Set while the address is cooling (bound without a step-up): until then it serves for no step-up, two-step sign-in or password reset.",
  })
  usableFrom: Date | null;
}
