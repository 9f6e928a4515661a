import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import type { Logger } from "./core/logger";

/**
 * The one table of error codes clients may see in `extensions.code`, with the message each carries.
 * Codes are stable API; messages are for people and may improve.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: "Some input is not valid; see fieldErrors.",
  UNAUTHENTICATED: "Sign in first: this needs a valid session token or API key.",
  FORBIDDEN: "You are not allowed to do this.",
  NOT_FOUND: "There is no such account.",
  INVALID_CREDENTIALS: "The sign-in name or password is not correct.",
  USERNAME_TAKEN: "That username is already in use; choose another.",
  CODE_INVALID: "The code is not correct.",
  CODE_EXPIRED: "The code has expired; request a new one.",
  TOO_MANY_ATTEMPTS: "Too many wrong attempts; request a new code.",
  RATE_LIMITED: "Too many requests; try again later.",
  IDENTITY_TAKEN: "That address or account is already bound to another user.",
  IDENTITY_NOT_BOUND: "No account is bound to this provider account yet: sign in another way and bind it in account settings.",
  LAST_SIGN_IN_METHOD: "This is the last way to sign in to the account; add another before removing it.",
  STEP_UP_REQUIRED: "Verify your identity again before this change.",
  TWO_STEP_REQUIRED: "Two-step verification is required to finish signing in.",
  PROVIDER_UNAVAILABLE: "The provider could not be reached; try again later.",
  PROVIDER_ERROR: "The provider refused the request.",
  REAL_NAME_REQUIRED: "Real-name verification is required first.",
  ALREADY_VERIFIED: "Real-name verification has already passed on this account.",
  QUERY_TOO_COMPLEX: "The query is too deep or too costly; ask for fewer fields.",
  QUERY_TOO_LARGE: "The query text is too long; send a shorter document.",
  BAD_REQUEST: "The request is not a valid GraphQL request.",
  INTERNAL_SERVER_ERROR: "Something went wrong on our side; try again later.",
  SERVICE_UNAVAILABLE: "A service this needs is not answering; try again shortly.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path of the argument, e.g. `input.username`. */
  readonly field: string;
  readonly messages: string[];
}

export interface AppErrorDetails {
  readonly fieldErrors?: FieldError[];
  readonly retryAfterSeconds?: number;
}

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    details: AppErrorDetails = {},
    message: string = ERROR_CODES[code],
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = "AppError";
  }

  static badInput(field: string, message: string): AppError {
    return new AppError("BAD_USER_INPUT", { fieldErrors: [{ field, messages: [message] }] });
  }

  /** A refusal of the request itself, before anything runs: HTTP 400, like a validation failure. */
  static refusedRequest(code: ErrorCode, details: AppErrorDetails = {}, message?: string): AppError {
    const error = new AppError(code, details, message);
    error.extensions.http = { status: 400 };
    return error;
  }
}

/** Guard clause: throws `code` unless `condition` holds. */
export function assertThat(condition: unknown, code: ErrorCode, details?: AppErrorDetails): asserts condition {
  if (!condition) throw new AppError(code, details);
}

/** Codes Apollo and graphql-js produce for malformed requests; they describe the request, never internals. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

function toFieldErrors(errors: ValidationError[], prefix = ""): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

const GRAPHQL_TYPE = String.raw`[\w!\[\]]+`;

/**
 * graphql-js explains a bad variable value in words that quote the value (`String cannot represent
 * a non string value: ["hunter2"]`). Only explanations that quote nothing but names pass; every
 * other one becomes a plain "wrong type" so a submitted secret never comes back.
 */
const SAFE_REASONS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [new RegExp(`^Field "(\\w{1,64})" of required type "(${GRAPHQL_TYPE})" was not provided\\.$`), (m) => `${m[1]} (${m[2]}) is required.`],
  [/^Field "(\w{1,64})" is not defined by type "(\w+)"\./, (m) => `${m[1]} is not a field of ${m[2]}.`],
  [new RegExp(`^Expected type "(${GRAPHQL_TYPE})"`), (m) => `Expected ${m[1]}.`],
  [/^Expected value of type "([\w![\]]+)"/, (m) => `Expected ${m[1]}.`],
  [/^(\w+) cannot represent /, (m) => `Expected ${m[1]}.`],
  [/ does not exist in "(\w+)" enum/, (m) => `Expected one of the ${m[1]} values.`],
];

function safeReason(reason: string): string {
  for (const [pattern, explain] of SAFE_REASONS) {
    const match = pattern.exec(reason);
    if (match) return explain(match);
  }
  return "Has the wrong type or format.";
}

/**
 * graphql-js reports a bad variable as `Variable "$input" got invalid value <value> at "input.username"; <why>`
 * or `Variable "$input" of required type ... was not provided.`; this turns that into a field error
 * named like class-validator's (the variable name dropped), so clients handle both alike.
 */
function variableFieldErrors(message: string): FieldError[] {
  const invalid = /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([\s\S]*)$/.exec(message);
  if (invalid) {
    const field = invalid[2]?.split(".").slice(1).join(".") || invalid[1];
    return [{ field, messages: [safeReason(invalid[3])] }];
  }
  const unset = new RegExp(
    `^Variable "\\$(\\w+)" of (?:required|non-null) type "(${GRAPHQL_TYPE})" (?:was not provided|must not be null)\\.$`,
  ).exec(message);
  if (unset) return [{ field: unset[1], messages: [`${unset[1]} (${unset[2]}) is required.`] }];
  const other = /^Variable "\$(\w+)"/.exec(message);
  return other ? [{ field: other[1], messages: [safeReason(message)] }] : [];
}

/**
 * SQLSTATEs that say the database cannot serve now, not that the statement is wrong: connection
 * exceptions (08...), shutting down or starting up (57P01-57P03), statement_timeout (57014), too
 * many connections (53300), idle-in-transaction timeout (25P03); and SQLite's lock wait running out.
 */
const UNAVAILABLE_CODES =
  /^(08...|57P0[123]|57014|53300|25P03|SQLITE_BUSY\w*|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
/** pg and pg-pool report a lost, refused or timed-out connection with these messages and no code. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed)/;

/**
 * True when `error` (or the driver error, cause or thrown value inside it) says the database is
 * unreachable or not answering in time. Read by shape, not `instanceof Error`: Node's socket errors
 * come from another realm under jest, and graphql-js then holds them as a NonErrorThrown's `thrownValue`.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 3) return false;
  const { code, message, driverError, cause, thrownValue, errors } = error as Record<string, unknown>;
  return (
    (typeof code === "string" && UNAVAILABLE_CODES.test(code)) ||
    (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) ||
    [driverError, cause, thrownValue, ...(Array.isArray(errors) ? (errors as unknown[]) : [])].some((inner) =>
      isDatabaseUnavailable(inner, depth + 1),
    )
  );
}

/** SERVICE_UNAVAILABLE with HTTP 503 when `error` says the database is away (see above); else `error` itself. */
export function unavailableOr(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  const unavailable = new AppError("SERVICE_UNAVAILABLE");
  unavailable.extensions.http = { status: 503 };
  return unavailable;
}

function isRequestRefusal(error: unknown): boolean {
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * Apollo's formatError: the only way an error reaches a client. App errors pass with their code;
 * validation errors are reduced to field messages (never the submitted values); a database that is
 * unreachable or too slow becomes SERVICE_UNAVAILABLE; anything else is logged and replaced by
 * INTERNAL_SERVER_ERROR, so no internal message or stack trace leaks.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    if (original instanceof AppError) {
      const { http: _http, ...extensions } = original.extensions;
      return { ...base, message: original.message, extensions };
    }
    if (original instanceof ArgumentValidationError) {
      const args = original.extensions.validationErrors;
      const fieldErrors = args.flatMap((arg) => toFieldErrors([arg]));
      return { ...base, message: ERROR_CODES.BAD_USER_INPUT, extensions: { code: "BAD_USER_INPUT", fieldErrors } };
    }
    // Errors of the request itself (parse, validation, variable coercion) have no execution path.
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERROR_CODES.has(code) && formatted.path === undefined) {
      if (code === "BAD_USER_INPUT") {
        const fieldErrors = variableFieldErrors(formatted.message);
        return { ...base, message: ERROR_CODES.BAD_USER_INPUT, extensions: { code, fieldErrors } };
      }
      return { ...base, extensions: { code } };
    }
    // Apollo's own refusals of a request (a persisted-query hash that does not match, ...) carry
    // an HTTP 4xx status but no code; their messages describe the request.
    if (isRequestRefusal(error) && formatted.path === undefined) {
      return { ...base, extensions: { code: "BAD_REQUEST" } };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, "database unavailable");
      return { ...base, message: ERROR_CODES.SERVICE_UNAVAILABLE, extensions: { code: "SERVICE_UNAVAILABLE" } };
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error in a GraphQL request");
    return { ...base, message: ERROR_CODES.INTERNAL_SERVER_ERROR, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
