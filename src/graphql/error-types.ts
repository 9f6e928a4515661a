import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ERROR_CODES, FIELD_ERROR_CODES, type ErrorCode as ErrorCodeName, type FieldErrorCode as FieldErrorCodeName } from "../errors";

/** `{ A: "A", ... }`: the form registerEnumType takes, from the keys of a code table. */
function enumOf<K extends string>(table: Record<K, unknown>): { [P in K]: P } {
  return Object.fromEntries(Object.keys(table).map((key) => [key, key])) as { [P in K]: P };
}

export const ErrorCode = enumOf(ERROR_CODES);
registerEnumType(ErrorCode, {
  name: "ErrorCode",
  description:
    "Every value `errors[].extensions.code` can hold: a closed set, so a client can handle each. Errors stay GraphQL errors; ErrorExtensions describes the rest of `extensions`. HTTP 200 unless a value says otherwise.",
  valuesConfig: Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { description }]) => [code, { description }])),
});

export const FieldErrorCode = enumOf(FIELD_ERROR_CODES);
registerEnumType(FieldErrorCode, {
  name: "FieldErrorCode",
  description:
    "Why one field of a BAD_USER_INPUT error was refused (`extensions.fieldErrors[].code`); `params` carries the numbers and names to word it.",
  valuesConfig: Object.fromEntries(Object.entries(FIELD_ERROR_CODES).map(([code, description]) => [code, { description }])),
});

@ObjectType({ description: "The values a FieldErrorCode is worded with; only the ones its code names are set." })
export class FieldErrorParams {
  @Field(() => Int, { nullable: true, description: "The least length or value allowed (TOO_SHORT, TOO_SMALL, INVALID_USERNAME)." })
  min?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "The greatest length, value, count or depth allowed (TOO_LONG, TOO_LARGE, TOO_MANY, LIMIT_REACHED, TOO_DEEP, INVALID_USERNAME).",
  })
  max?: number;

  @Field(() => [String], { nullable: true, description: "The values allowed (NOT_ONE_OF)." })
  allowed?: string[];

  @Field({ nullable: true, description: "The GraphQL type expected (WRONG_TYPE, REQUIRED, NOT_ONE_OF for an enum)." })
  expected?: string;

  @Field(() => [String], { nullable: true, description: "The fields of which exactly one must be given (EXACTLY_ONE_OF)." })
  fields?: string[];
}

@ObjectType({ description: "One refused field of a BAD_USER_INPUT error, in `extensions.fieldErrors`." })
export class FieldError {
  @Field({
    description:
      "The field's path inside the argument, e.g. `username` or `input.username`; `variables` or `query` for the request itself.",
  })
  field: string;

  @Field(() => FieldErrorCode, { description: "Why, for programs: translate this (with params), not the messages." })
  code: FieldErrorCodeName;

  @Field(() => FieldErrorParams, { description: "The values to word the code with." })
  params: FieldErrorParams;

  @Field(() => [String], { description: "The same in English, for people and logs; the wording may change." })
  messages: string[];
}

/**
 * The shape of `errors[].extensions`. Not returned by any field (errors are outside the type system),
 * but in the schema so codegen types it: buildAppSchema lists it as an orphaned type.
 */
@ObjectType({
  description:
    "The shape of every `errors[].extensions` this API sends. No field returns it: it is in the schema so code generators type the errors.",
})
export class ErrorExtensions {
  @Field(() => ErrorCode, { description: "One of ErrorCode's values." })
  code: ErrorCodeName;

  @Field(() => [FieldError], { nullable: true, description: "With BAD_USER_INPUT: each refused field." })
  fieldErrors?: FieldError[];

  @Field(() => Int, { nullable: true, description: "With RATE_LIMITED: seconds until a new attempt may succeed." })
  retryAfterSeconds?: number;
}
