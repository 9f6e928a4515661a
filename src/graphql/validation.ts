import { getMetadataStorage, ValidateBy, Validator, type ValidationError, type ValidationOptions } from "./constraints";
import type { ValidatorFn } from "type-graphql";
import { AppError, fieldError, type FieldError, type FieldErrorParams, type FieldProblem, type FieldErrorCode } from "../errors";

type Problem = (value: unknown, object: Record<string, unknown>) => FieldProblem | null;

/** The rules made by fieldRule, by constraint name: each says its own code, since it may have several. */
const RULES = new Map<string, Problem>();

/**
 * A class-validator decorator from a function that says why a value is refused (or null): its code
 * and params reach clients as they are, its message as the English words. `object` is the input
 * object being validated, for rules that read a sibling field.
 */
export function fieldRule(name: string, problem: Problem): (options?: ValidationOptions) => PropertyDecorator {
  RULES.set(name, problem);
  return (options) =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value, args) => problem(value, (args?.object ?? {}) as Record<string, unknown>) === null,
          defaultMessage: (args) => problem(args?.value, (args?.object ?? {}) as Record<string, unknown>)?.message ?? "",
        },
      },
      options,
    );
}

/**
 * class-validator's built-in constraints as field-error codes, with the decorator's arguments as
 * params. One table for every input type, so the decorators on them stay plain class-validator.
 * tests/unit/validation.test.ts fails when an input type uses a constraint that is in neither this
 * table nor RULES.
 */
export const CONSTRAINT_CODES: Readonly<Record<string, (constraints: unknown[]) => { code: FieldErrorCode; params?: FieldErrorParams }>> = {
  minLength: ([min]) => ({ code: "TOO_SHORT", params: { min: Number(min) } }),
  maxLength: ([max]) => ({ code: "TOO_LONG", params: { max: Number(max) } }),
  min: ([min]) => ({ code: "TOO_SMALL", params: { min: Number(min) } }),
  max: ([max]) => ({ code: "TOO_LARGE", params: { max: Number(max) } }),
  arrayMaxSize: ([max]) => ({ code: "TOO_MANY", params: { max: Number(max) } }),
  arrayMinSize: ([min]) => ({ code: "TOO_FEW", params: { min: Number(min) } }),
  isIn: ([allowed]) => ({ code: "NOT_ONE_OF", params: { allowed: (allowed as unknown[]).map(String) } }),
  isEnum: ([, allowed]) => ({ code: "NOT_ONE_OF", params: { allowed: (allowed as unknown[]).map(String) } }),
  matches: () => ({ code: "INVALID_FORMAT" }),
  isUrl: () => ({ code: "INVALID_URL" }),
  isUuid: () => ({ code: "INVALID_ID" }),
  isDate: () => ({ code: "WRONG_TYPE", params: { expected: "DateTime" } }),
  isBoolean: () => ({ code: "WRONG_TYPE", params: { expected: "Boolean" } }),
  // forbidUnknownValues: an argument that is not an instance of its input class.
  unknownValue: () => ({ code: "WRONG_TYPE" }),
};

/** True when a constraint of this name maps to a field-error code of its own (not the INVALID_FORMAT fallback). */
export function isMappedConstraint(name: string): boolean {
  return RULES.has(name) || name in CONSTRAINT_CODES;
}

function constraintArguments(target: object | undefined, property: string, name: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, "", true, false)
    .find((m) => m.propertyName === property && m.name === name);
  return metadata?.constraints ?? [];
}

function problemOf(error: ValidationError, name: string, message: string): FieldProblem {
  const rule = RULES.get(name);
  const own = rule?.(error.value, (error.target ?? {}) as Record<string, unknown>);
  if (own) return own;
  const mapped = CONSTRAINT_CODES[name]?.(constraintArguments(error.target, error.property, name));
  return { ...(mapped ?? { code: "INVALID_FORMAT" }), message };
}

export function toFieldErrors(errors: ValidationError[], prefix = ""): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => fieldError(field, problemOf(error, name, message)));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

const isObject = (value: unknown): value is object => value !== null && typeof value === "object";

/** The one Validator, as class-validator's own `validate` keeps in its default container. */
const validator = new Validator();

/**
 * type-graphql's validateFn: class-validator on every input object and args class, with type-graphql's
 * own defaults (missing properties skipped, unknown objects refused), answered as BAD_USER_INPUT with
 * field errors. The submitted values are read here to word the problem and never leave this function.
 */
export const validateInput: ValidatorFn = async (argValue) => {
  const objects = (Array.isArray(argValue) ? argValue : [argValue]).filter(isObject);
  const errors = (
    await Promise.all(
      objects.map((object) =>
        validator.validate(object, {
          skipMissingProperties: true,
          forbidUnknownValues: true,
          validationError: { target: true, value: true },
        }),
      ),
    )
  ).flat();
  if (errors.length) throw new AppError("BAD_USER_INPUT", { fieldErrors: toFieldErrors(errors) });
};
