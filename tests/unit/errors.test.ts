import { GraphQLError } from "graphql";
import { QueryFailedError } from "typeorm";
import { AppError, assertThat, createErrorFormatter, unavailableOr } from "../../src/errors";
import { createLogger } from "../../src/core/logger";

const format = createErrorFormatter(createLogger("silent"));

describe("formatError", () => {
  it("passes an AppError with its code and details", () => {
    const error = new AppError("RATE_LIMITED", { retryAfterSeconds: 30 });
    const wrapped = new GraphQLError(error.message, { originalError: error, path: ["login"] });
    expect(format({ message: error.message, path: ["login"] }, wrapped)).toEqual({
      message: "Too many requests; try again later.",
      path: ["login"],
      locations: undefined,
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: 30 },
    });
  });

  it("replaces any other error by INTERNAL_SERVER_ERROR without its message", () => {
    const cause = new Error('relation "accounts" does not exist');
    const wrapped = new GraphQLError(cause.message, { originalError: cause, path: ["me"] });
    const formatted = format(
      { message: cause.message, path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["..."] } },
      wrapped,
    );
    expect(formatted).toEqual({
      message: "Something went wrong on our side; try again later.",
      path: ["me"],
      locations: undefined,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("does not trust a request-error code on an error raised while resolving", () => {
    const wrapped = new GraphQLError("secret detail", { path: ["me"], extensions: { code: "BAD_USER_INPUT" } });
    expect(format({ message: "secret detail", path: ["me"], extensions: { code: "BAD_USER_INPUT" } }, wrapped).extensions).toEqual({
      code: "INTERNAL_SERVER_ERROR",
    });
  });
});

describe("a database that is away", () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  const unavailable = [
    ["refused", withCode("connect ECONNREFUSED 10.0.0.5:5432", "ECONNREFUSED")],
    ["shutting down", new QueryFailedError("SELECT 1", [], withCode("terminating connection due to administrator command", "57P01"))],
    ["statement_timeout", new QueryFailedError("SELECT 1", [], withCode("canceling statement due to statement timeout", "57014"))],
    ["a connection exception", withCode("connection failure", "08006")],
    ["pool wait", new Error("timeout exceeded when trying to connect")],
    ["frozen server", new Error("Query read timeout")],
    ["SQLite lock wait", withCode("database is locked", "SQLITE_BUSY")],
  ] as const;

  it.each(unavailable)("answers SERVICE_UNAVAILABLE, without the driver's text, when %s", (_what, cause) => {
    const wrapped = new GraphQLError(cause.message, { originalError: cause, path: ["me"] });
    expect(format({ message: cause.message, path: ["me"] }, wrapped)).toEqual({
      message: expect.not.stringContaining(cause.message),
      path: ["me"],
      locations: undefined,
      extensions: { code: "SERVICE_UNAVAILABLE" },
    });
  });

  it("is said with HTTP 503 while authenticating; other errors pass unchanged", () => {
    const said = unavailableOr(withCode("connect ECONNREFUSED 10.0.0.5:5432", "ECONNREFUSED")) as AppError;
    expect(said.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", http: { status: 503 } });
    const wrong = new QueryFailedError("SELECT x", [], withCode('column "x" does not exist', "42703"));
    expect(unavailableOr(wrong)).toBe(wrong);
  });
});

describe("assertThat", () => {
  it("throws the code when the condition fails", () => {
    expect(() => assertThat(false, "FORBIDDEN")).toThrow(AppError);
    expect(() => assertThat(1, "FORBIDDEN")).not.toThrow();
  });
});
