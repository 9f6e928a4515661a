import type { TypedDocumentString } from "./gql/graphql";

export interface FieldError {
  field: string;
  messages: string[];
}

/** An answer with `errors`: its `extensions.code` (NETWORK_ERROR when the server could not be reached) and details. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly fieldErrors: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.name = "ApiError";
  }

  /** The server's notes on one argument: `field` matches `input.username` as well as `username`. */
  messagesFor(field: string): string[] {
    return this.fieldErrors.filter((e) => e.field === field || e.field.endsWith(`.${field}`)).flatMap((e) => e.messages);
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
    errors?: { extensions?: { code?: string; fieldErrors?: FieldError[]; retryAfterSeconds?: number } }[];
  } | null;
  if (!body) throw new ApiError(response.ok ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
  const error = body.errors?.[0];
  if (error || !body.data) {
    const extensions = error?.extensions ?? {};
    throw new ApiError(extensions.code ?? "INTERNAL_SERVER_ERROR", extensions.fieldErrors, extensions.retryAfterSeconds);
  }
  return body.data;
}
