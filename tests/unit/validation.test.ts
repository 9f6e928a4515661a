import { getMetadataStorage as validationMetadata, ValidationTypes } from "class-validator";
import { lexicographicSortSchema, printSchema } from "graphql";
import { getMetadataStorage as graphqlMetadata } from "type-graphql";
import { ERROR_CODES, FIELD_ERROR_CODES } from "../../src/errors";
import { isMappedConstraint } from "../../src/graphql/validation";
import { buildAppSchema } from "../../src/schema";
import { publishedEnum, publishedSchema } from "../helpers/published-schema";

beforeAll(() => buildAppSchema());

describe("the error codes", () => {
  it("are published as the schema's ErrorCode enum, every one of them and nothing else", () => {
    expect(publishedEnum("ErrorCode").sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it("of fields are published as the FieldErrorCode enum", () => {
    expect(publishedEnum("FieldErrorCode").sort()).toEqual(Object.keys(FIELD_ERROR_CODES).sort());
  });

  it("are reachable for codegen: ErrorExtensions types `extensions` with both enums", () => {
    const printed = printSchema(lexicographicSortSchema(publishedSchema()));
    expect(printed).toMatch(/type ErrorExtensions \{[^}]*code: ErrorCode![^}]*fieldErrors: \[FieldError!\]/);
    expect(printed).toMatch(/type FieldError \{[^}]*code: FieldErrorCode!/);
  });
});

describe("class-validator constraints", () => {
  it("on every input type map to a field-error code of their own", () => {
    const classes = [...graphqlMetadata().inputTypes, ...graphqlMetadata().argumentTypes].map((type) => type.target);
    const constraints = classes.flatMap((target) =>
      validationMetadata()
        .getTargetValidationMetadatas(target, "", true, false)
        .filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)
        .map((m) => `${target.name}.${m.propertyName}: ${m.name}`),
    );
    expect(constraints.length).toBeGreaterThan(20);
    expect(constraints.filter((c) => !isMappedConstraint(c.split(": ")[1]))).toEqual([]);
  });
});
