export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    fieldErrors?: { field: string; code: string; params: Record<string, unknown>; messages: string[] }[];
    retryAfterSeconds?: number;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

/** Talks to the server the way an SPA does: JSON POSTs with an optional bearer token. */
export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The bearer token this client sends, if any. */
  get token(): string | undefined {
    return this.headers.authorization?.replace(/^Bearer /, "");
  }

  /** Sends this token from now on, as the SPA does with the one completeStepUp returns. */
  adopt(token: string): void {
    this.headers.authorization = `Bearer ${token}`;
  }

  as(token: string): GraphQLClient {
    return this.with({ authorization: `Bearer ${token}` });
  }

  with(headers: Record<string, string>): GraphQLClient {
    return new GraphQLClient(this.url, { ...this.headers, ...headers });
  }

  async request<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: GraphQLErrorBody[] };
    return { status: response.status, ...body };
  }

  /** Runs an operation that must succeed and returns its data. */
  async ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** Runs an operation that must fail and returns its first error. */
  async fails(query: string, variables?: Record<string, unknown>): Promise<GraphQLErrorBody> {
    const result = await this.request(query, variables);
    if (!result.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
    return result.errors[0];
  }
}
