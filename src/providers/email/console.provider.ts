import { randomUUID } from "node:crypto";
import type { Logger } from "../../core/logger";
import type { EmailSender } from "../types";

/** Development stand-in: writes the whole message to the log instead of delivering it. */
export function createConsoleEmailSender(logger: Logger): EmailSender {
  return {
    id: "console",
    send(to, message) {
      const deliveryId = `console-${randomUUID()}`;
      logger.warn(
        { provider: "email:console", to, subject: message.subject, text: message.text, deliveryId },
        "EMAIL NOT DELIVERED (console provider)",
      );
      return Promise.resolve({ deliveryId });
    },
  };
}
