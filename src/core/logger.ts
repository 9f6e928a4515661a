import pino from "pino";
import pretty from "pino-pretty";

export type Logger = pino.Logger;

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  "password",
  "oldPassword",
  "newPassword",
  "token",
  "secret",
  "authorization",
  "*.password",
  "*.oldPassword",
  "*.newPassword",
  "*.token",
  "*.secret",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "variables.input.password",
  "variables.input.oldPassword",
  "variables.input.newPassword",
];

/** JSON lines, for log collectors; `pretty`: readable coloured lines for a person at a terminal. */
export function createLogger(level: string, { pretty: readable = false } = {}): Logger {
  const options = { level, redact: { paths: REDACT, censor: "[redacted]" }, base: undefined };
  return readable ? pino(options, pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l" })) : pino(options);
}
