import pino from "pino";

export type Logger = pino.Logger;

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  "password", "oldPassword", "newPassword", "token", "secret", "authorization",
  "*.password", "*.oldPassword", "*.newPassword", "*.token", "*.secret", "*.authorization",
  "req.headers.authorization", "req.headers.cookie", "variables.input.password",
  "variables.input.oldPassword", "variables.input.newPassword",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: "[redacted]" }, base: undefined });
}
