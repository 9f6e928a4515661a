import { randomUUID } from "node:crypto";
import type { Logger } from "../../core/logger";
import type { SmsSender } from "../types";

/** Development stand-in: writes the SMS to the log instead of sending it. */
export function createConsoleSmsSender(logger: Logger): SmsSender {
  return {
    id: "console",
    send(phoneE164, message) {
      const deliveryId = `console-${randomUUID()}`;
      logger.warn({ provider: "sms:console", to: phoneE164, message, deliveryId }, "SMS NOT SENT (console provider)");
      return Promise.resolve({ deliveryId });
    },
  };
}
