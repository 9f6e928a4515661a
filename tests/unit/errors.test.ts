import { GraphQLError } from "graphql";
import { AppError, assertThat, createErrorFormatter } from "../../src/errors";
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
    const formatted = format({ message: cause.message, path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["..."] } }, wrapped);
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

describe("assertThat", () => {
  it("throws the code when the condition fails", () => {
    expect(() => assertThat(false, "FORBIDDEN")).toThrow(AppError);
    expect(() => assertThat(1, "FORBIDDEN")).not.toThrow();
  });
});
