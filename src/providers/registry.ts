import type { Config } from "../config";
import type { Clock } from "../core/clock";
import type { Logger } from "../core/logger";
import { createConsoleEmailSender } from "./email/console.provider";
import { createSmtpEmailSender } from "./email/smtp.provider";
import { createAliyunSmsSender } from "./sms/aliyun.provider";
import { createConsoleSmsSender } from "./sms/console.provider";
import { createTencentSmsSender } from "./sms/tencent.provider";
import type { EmailSender, SmsSender } from "./types";

export interface Providers {
  readonly email: EmailSender;
  readonly sms: SmsSender;
}

/** Chooses each provider from the configuration, once, at start-up. */
export function createProviders(config: Config, logger: Logger, clock: Clock): Providers {
  const { timeoutMs, email, sms } = config.providers;
  return {
    email: email.kind === "smtp" ? createSmtpEmailSender(email, timeoutMs) : createConsoleEmailSender(logger),
    sms: createSmsSender(sms, timeoutMs, logger, clock),
  };
}

function createSmsSender(sms: Config["providers"]["sms"], timeoutMs: number, logger: Logger, clock: Clock): SmsSender {
  switch (sms.kind) {
    case "console":
      return createConsoleSmsSender(logger);
    case "aliyun":
      return createAliyunSmsSender(sms, timeoutMs, clock);
    case "tencent":
      return createTencentSmsSender(sms, timeoutMs, clock);
  }
}

/** The providers that only pretend to deliver, for the loud start-up warning. */
export function devStandIns(providers: Providers): string[] {
  return [
    ...(providers.email.id === "console" ? ["EMAIL_PROVIDER=console"] : []),
    ...(providers.sms.id === "console" ? ["SMS_PROVIDER=console"] : []),
  ];
}
