import pino from "pino";
import type pretty from "pino-pretty";

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
  if (!readable) return pino(options);
  // Loaded only for a terminal: a production start would spend ~40 ms of CPU on it for nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return pino(options, (require("pino-pretty") as typeof pretty)({ colorize: true, translateTime: "SYS:HH:MM:ss.l" }));
}
