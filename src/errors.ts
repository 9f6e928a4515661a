import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "./core/logger";

interface ErrorCodeEntry {
  /** What an error of this code says unless it says more; for people, and it may improve. */
  readonly message: string;
  /** When it happens, its HTTP status when not 200, and whether to retry: the ErrorCode enum's description of the value. */
  readonly description: string;
}

/**
 * The closed set of codes a client may see in `extensions.code`, published as the schema's
 * `ErrorCode` enum (src/graphql/error-types.ts) and in docs/errors.md. Codes are stable API.
 * The last four are Apollo's and graphql-js's codes for malformed requests, passed through as they are.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: {
    message: "Some input is not valid; see fieldErrors.",
    description:
      "An argument is malformed: wrong type, empty, too long, not allowed, holding U+0000; or it does not fit the account's state (e.g. a method that is not set up). `extensions.fieldErrors` says which field and why, as a FieldErrorCode with params. Messages never repeat the submitted value. Variables or extensions nested deeper than 32 levels get it with HTTP 400 (field `variables`). Fix the input; retrying unchanged fails again.",
  },
  UNAUTHENTICATED: {
    message: "Sign in first: this needs a valid session token or API key.",
    description: "The operation needs a valid session or API key and the request has none (or it expired, or was revoked). Sign in again.",
  },
  FORBIDDEN: {
    message: "You are not allowed to do this.",
    description:
      "The account lacks the role (e.g. SUPPORT for adminReplaceContact), support aims adminReplaceContact at a staff account, or an API key attempts a security operation or a mutation without the ACCOUNT_WRITE scope. Do not retry.",
  },
  NOT_FOUND: {
    message: "There is no such account.",
    description: "adminReplaceContact names no account.",
  },
  INVALID_CREDENTIALS: {
    message: "The sign-in name or password is not correct.",
    description:
      "Wrong sign-in name or password, or a wrong current password (then with fieldErrors for oldPassword). Failed tries count towards RATE_LIMITED.",
  },
  USERNAME_TAKEN: {
    message: "That username is already in use; choose another.",
    description: "The username belongs to another account (ignoring case and compatibility forms).",
  },
  CODE_INVALID: {
    message: "The code is not correct.",
    description:
      "Wrong code; a code already used or replaced by a newer one; a replayed authenticator code; a challenge of another purpose, account or session. Each wrong try counts towards TOO_MANY_ATTEMPTS. resetPassword answers it for an expired or spent code too, as it does for an address nobody has.",
  },
  CODE_EXPIRED: {
    message: "The code has expired; request a new one.",
    description: "The code is older than CODE_TTL_SECONDS: request a new one.",
  },
  TOO_MANY_ATTEMPTS: {
    message: "Too many wrong attempts; request a new code.",
    description: "The challenge had CODE_MAX_ATTEMPTS wrong tries and is spent: request a new code.",
  },
  RATE_LIMITED: {
    message: "Too many requests; try again later.",
    description:
      "Too many attempts or codes for this identifier, address, account or IP; the daily SMS budget is spent; or the SMS vendor throttled us. `extensions.retryAfterSeconds` says when to try again; not sooner.",
  },
  IDENTITY_TAKEN: {
    message: "That address or account is already bound to another user.",
    description: "The email, phone or provider account is bound to another account.",
  },
  IDENTITY_NOT_BOUND: {
    message: "No account is bound to this provider account yet: sign in another way and bind it in account settings.",
    description: "loginWithProvider with a provider account bound to nobody (and PROVIDER_SIGN_UP off).",
  },
  IDENTITY_COOLING: {
    message: "This provider account was bound without a verification and cannot sign in yet; sign in another way until its cool-down ends.",
    description:
      "loginWithProvider with a provider account bound without a step-up (the account had nothing to step up with): it signs in only after NEW_FACTOR_COOLDOWN_SECONDS. The provider account an account was created with at sign-up never cools.",
  },
  LAST_SIGN_IN_METHOD: {
    message: "This is the last way to sign in to the account; add another before removing it.",
    description: "The change would leave the account no way to sign in: add another way first.",
  },
  STEP_UP_REQUIRED: {
    message: "Verify your identity again before this change.",
    description:
      "Prove a factor on this session first (requestStepUp, then completeStepUp; security.stepUpMethods lists which), then repeat the operation.",
  },
  PROVIDER_UNAVAILABLE: {
    message: "The provider could not be reached; try again later.",
    description:
      "The email, SMS, OAuth or identity vendor timed out, failed or answered a service-side error, or our settings for it are wrong (logged as a configuration error). Nothing was changed; retry later.",
  },
  PROVIDER_ERROR: {
    message: "The provider refused the request.",
    description:
      "The vendor refused: a number it cannot deliver to, an invalid, used or expired OAuth code, a response whose signature does not verify. Retrying unchanged fails again.",
  },
  REAL_NAME_REQUIRED: {
    message: "Real-name verification is required first.",
    description: "The operation needs a passed real-name verification: startRealNameVerification first.",
  },
  ALREADY_VERIFIED: {
    message: "Real-name verification has already passed on this account.",
    description: "startRealNameVerification on an account whose verification already passed.",
  },
  QUERY_TOO_COMPLEX: {
    message: "The query is too deep or too costly; ask for fewer fields.",
    description: "The operation nests deeper than GRAPHQL_MAX_DEPTH or costs more than GRAPHQL_MAX_COST. HTTP 400; ask for fewer fields.",
  },
  QUERY_TOO_LARGE: {
    message: "The query text is too long; send a shorter document.",
    description: "The query text is longer than GRAPHQL_MAX_QUERY_BYTES; refused before it is parsed. HTTP 400.",
  },
  BAD_REQUEST: {
    message: "The request is not a valid GraphQL request.",
    description:
      "The HTTP request is not a GraphQL request: a body that is not JSON (HTTP 400), of another content type (HTTP 415) or over 100 kB (HTTP 413), a path the server does not serve (HTTP 404), no query, a persisted-query hash that does not match its query, a subscription (the API has none). HTTP 400 otherwise.",
  },
  INTERNAL_SERVER_ERROR: {
    message: "Something went wrong on our side; try again later.",
    description: "Anything unexpected; it is logged, and nothing of the server's inside is sent. Retry later.",
  },
  SERVICE_UNAVAILABLE: {
    message: "A service this needs is not answering; try again shortly.",
    description:
      "The database did not answer within its deadline (HTTP 503 when it happens while authenticating the request), or the request passed REQUEST_TIMEOUT_MS (HTTP 503): what it started may still finish, so read before retrying a mutation. Retry shortly; the server recovers by itself.",
  },
  GRAPHQL_PARSE_FAILED: {
    message: "The query is not valid GraphQL syntax.",
    description: "Apollo's: the query text is not valid GraphQL syntax. HTTP 400.",
  },
  GRAPHQL_VALIDATION_FAILED: {
    message: "The query does not fit the schema.",
    description: "Apollo's: the document names a field, argument or type the schema does not have, or a wrong literal. HTTP 400.",
  },
  PERSISTED_QUERY_NOT_FOUND: {
    message: "PersistedQueryNotFound",
    description:
      "Automatic persisted queries: the server does not know this sha256Hash (yet, or any more); send the query text with it (Apollo Client's persisted-query link does so by itself).",
  },
  OPERATION_RESOLUTION_FAILURE: {
    message: "The request names no operation of its document.",
    description: "operationName names no operation of the document, or the document has several and none is named. HTTP 400.",
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Why one field was refused, as a closed set clients translate (with `params`); the FieldErrorCode
 * enum's descriptions. Validation rules map onto these in src/graphql/validation.ts.
 */
export const FIELD_ERROR_CODES = {
  REQUIRED: "The field is missing or null.",
  WRONG_TYPE: "The value has the wrong type. params.expected names the GraphQL type.",
  UNKNOWN_FIELD: "The input object has a field its type does not define.",
  NOT_ONE_OF: "The value is not one of the allowed values. params.allowed lists them when the input type does not.",
  TOO_SHORT: "Shorter than params.min characters.",
  TOO_LONG: "Longer than params.max characters.",
  TOO_SMALL: "Smaller than params.min.",
  TOO_LARGE: "Larger than params.max.",
  TOO_MANY: "More than params.max items.",
  TOO_FEW: "Fewer than params.min items (an empty list where one is not allowed).",
  INVALID_FORMAT: "Not in the format the field's description gives (e.g. a code of 6 digits).",
  INVALID_URL: "Not an acceptable URL (http(s), no user name or password in it).",
  INVALID_ID: "Not an id this API issues.",
  INVALID_TEXT: "Holds U+0000, a lone surrogate or invisible control characters.",
  INVALID_EMAIL: "Not an email address we can send to.",
  INVALID_PHONE: "Not a mobile number that can receive SMS (Chinese numbers may omit +86).",
  INVALID_USERNAME:
    "Not a username: 3-32 letters, digits, _, - or Chinese characters with at least one letter, in standard (not full-width or compatibility) forms.",
  INVALID_ID_NUMBER: "Not a valid 18-character resident ID number (check character, birth date).",
  PASSWORD_TOO_COMMON: "The password is among the most common ones, or one character repeated: easy to guess.",
  PASSWORD_CONTAINS_USERNAME: "The password contains the username.",
  SAME_AS_CURRENT: "The new value equals the current one (e.g. the new password is the current password).",
  INCORRECT: "The value is not correct (e.g. the current password).",
  NOT_IN_FUTURE: "The instant must lie in the future.",
  LIMIT_REACHED: "The account has the most it may have of this (params.max); remove one first.",
  REDIRECT_NOT_ALLOWED: "The URL is not on this server's origin or one of REDIRECT_ORIGINS.",
  ALREADY_BOUND: "This is already bound to the account.",
  NOT_BOUND: "Nothing of this kind is bound to the account.",
  PROVIDER_NOT_ENABLED: "This deployment has not configured the provider (see Query.providers).",
  METHOD_NOT_AVAILABLE: "The verification method cannot be used here now (not set up, cooling, or not a factor of this kind).",
  ENROLLMENT_NOT_STARTED: "There is no enrolment to confirm: start one first.",
  SECOND_FACTOR_REQUIRED: "Needs a usable email, phone or authenticator app first.",
  EXACTLY_ONE_OF: "Give exactly one of params.fields.",
  TOO_DEEP: "Nested deeper than params.max levels.",
  INVALID_CURSOR: "Not a cursor this connection gave (cursors are opaque: pass back one from pageInfo or an edge).",
  CONFLICTS_WITH: "Cannot be given together with the field params.fields names.",
  NOT_AFTER: "Must be later than the field params.fields names.",
} as const;

export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;

/** What a client needs to word a field error itself; only the keys its code names are set. */
export interface FieldErrorParams {
  readonly min?: number;
  readonly max?: number;
  readonly allowed?: string[];
  readonly expected?: string;
  readonly fields?: string[];
}

/** Why a value is refused: the code and params for programs, an English message for people. */
export interface FieldProblem {
  readonly code: FieldErrorCode;
  readonly params?: FieldErrorParams;
  readonly message: string;
}

export interface FieldError {
  /** Dotted path of the argument, e.g. `input.username`. */
  readonly field: string;
  readonly code: FieldErrorCode;
  readonly params: FieldErrorParams;
  /** In English; kept beside `code` for clients that show the server's words. */
  readonly messages: string[];
}

export function fieldError(field: string, { code, params = {}, message }: FieldProblem): FieldError {
  return { field, code, params, messages: [message] };
}

export interface AppErrorDetails {
  readonly fieldErrors?: FieldError[];
  readonly retryAfterSeconds?: number;
}

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    details: AppErrorDetails = {},
    message: string = ERROR_CODES[code].message,
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = "AppError";
  }

  static badInput(field: string, code: FieldErrorCode, message: string, params?: FieldErrorParams): AppError {
    return new AppError("BAD_USER_INPUT", { fieldErrors: [fieldError(field, { code, params, message })] });
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
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

const GRAPHQL_TYPE = String.raw`[\w!\[\]]+`;

/**
 * graphql-js explains a bad variable value in words that quote the value (`String cannot represent
 * a non string value: ["hunter2"]`). Only explanations that quote nothing but names pass; every
 * other one becomes a plain "wrong type" so a submitted secret never comes back.
 */
const SAFE_REASONS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => FieldProblem]> = [
  [
    new RegExp(`^Field "(\\w{1,64})" of required type "(${GRAPHQL_TYPE})" was not provided\\.$`),
    (m) => ({ code: "REQUIRED", params: { expected: m[2] }, message: `${m[1]} (${m[2]}) is required.` }),
  ],
  [
    /^Field "(\w{1,64})" is not defined by type "(\w+)"\./,
    (m) => ({ code: "UNKNOWN_FIELD", message: `${m[1]} is not a field of ${m[2]}.` }),
  ],
  [
    new RegExp(`^Expected type "(${GRAPHQL_TYPE})"`),
    (m) => ({ code: "WRONG_TYPE", params: { expected: m[1] }, message: `Expected ${m[1]}.` }),
  ],
  [
    new RegExp(`^Expected value of type "(${GRAPHQL_TYPE})"`),
    (m) => ({ code: "WRONG_TYPE", params: { expected: m[1] }, message: `Expected ${m[1]}.` }),
  ],
  [/^(\w+) cannot represent /, (m) => ({ code: "WRONG_TYPE", params: { expected: m[1] }, message: `Expected ${m[1]}.` })],
  [
    / does not exist in "(\w+)" enum/,
    (m) => ({ code: "NOT_ONE_OF", params: { expected: m[1] }, message: `Expected one of the ${m[1]} values.` }),
  ],
];

function safeReason(reason: string): FieldProblem {
  for (const [pattern, explain] of SAFE_REASONS) {
    const match = pattern.exec(reason);
    if (match) return explain(match);
  }
  return { code: "WRONG_TYPE", message: "Has the wrong type or format." };
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
    return [fieldError(field, safeReason(invalid[3]))];
  }
  const unset = new RegExp(
    `^Variable "\\$(\\w+)" of (?:required|non-null) type "(${GRAPHQL_TYPE})" (?:was not provided|must not be null)\\.$`,
  ).exec(message);
  if (unset)
    return [fieldError(unset[1], { code: "REQUIRED", params: { expected: unset[2] }, message: `${unset[1]} (${unset[2]}) is required.` })];
  const other = /^Variable "\$(\w+)"/.exec(message);
  return other ? [fieldError(other[1], safeReason(message))] : [];
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
 * graphql-js's variable errors are reduced to field errors (never the submitted values); a database that is
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
    // Errors of the request itself (parse, validation, variable coercion) have no execution path.
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERROR_CODES.has(code) && formatted.path === undefined) {
      if (code === "BAD_USER_INPUT") {
        const fieldErrors = variableFieldErrors(formatted.message);
        return { ...base, message: ERROR_CODES.BAD_USER_INPUT.message, extensions: { code, fieldErrors } };
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
      return { ...base, message: ERROR_CODES.SERVICE_UNAVAILABLE.message, extensions: { code: "SERVICE_UNAVAILABLE" } };
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error in a GraphQL request");
    return { ...base, message: ERROR_CODES.INTERNAL_SERVER_ERROR.message, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
