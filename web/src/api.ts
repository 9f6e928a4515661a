import type { TypedDocumentString } from "./gql/graphql";
import type { ErrorCode, ErrorExtensions, FieldErrorCode, FieldErrorParams } from "./gql/schema";

/** The API's codes, and the account center's own: the server could not be reached. */
export type ClientErrorCode = ErrorCode | "NETWORK_ERROR";

/** The API's field codes, and the account center's own: a confirmation that differs from what it confirms. */
export type ClientFieldErrorCode = FieldErrorCode | "CONFIRMATION_MISMATCH";

/** One refused field, worded by the page from its code and params (the server's English messages are not shown). */
export interface FieldProblem {
  field: string;
  code: ClientFieldErrorCode;
  params?: FieldErrorParams;
}

/** An answer with `errors`: its `extensions.code` (NETWORK_ERROR when the server could not be reached) and details. */
export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    readonly fieldErrors: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.name = "ApiError";
  }

  /** The problems of one argument: `field` matches `input.username` as well as `username`. */
  problemsFor(field: string): FieldProblem[] {
    return this.fieldErrors.filter((e) => e.field === field || e.field.endsWith(`.${field}`));
  }
}

/**
 * The session token lives in sessionStorage: it survives reloads and the same-tab OAuth round trip,
 * but not the tab, and it never travels in a cookie (the API takes only `Authorization: Bearer`).
 */
const TOKEN_KEY = "account-center.token";

export const sessionToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set(token: string | null): void {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

type Variables<V> = V extends { [key: string]: never } ? [] : [V];

/** Runs a typed operation against /graphql with the session token; throws ApiError for the first error. */
export async function request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: Variables<V>): Promise<R> {
  const token = sessionToken.get();
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError("NETWORK_ERROR");
  }
  const body = (await response.json().catch(() => null)) as {
    data?: R;
    errors?: { extensions?: Partial<ErrorExtensions> }[];
  } | null;
  if (!body) throw new ApiError(response.ok ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
  const error = body.errors?.[0];
  if (error || !body.data) {
    const extensions = error?.extensions ?? {};
    throw new ApiError(extensions.code ?? "INTERNAL_SERVER_ERROR", extensions.fieldErrors ?? [], extensions.retryAfterSeconds ?? undefined);
  }
  return body.data;
}
