import { oneOf, settingsGroup } from "../../core/env-settings";
import { aliyunSmsConfig, aliyunSmsSettings } from "./aliyun.settings";
import { tencentSmsConfig, tencentSmsSettings } from "./tencent.settings";

export const smsSettings = settingsGroup("SMS", {
  SMS_PROVIDER: oneOf(["console", "aliyun", "tencent"], "console", {
    description: "`aliyun`, `tencent`, or `console` (messages written to the log; refused in production)",
  }),
  ...aliyunSmsSettings,
  ...tencentSmsSettings,
}).transform((values, ctx) => {
  if (values.SMS_PROVIDER === "aliyun") return aliyunSmsConfig(values, ctx.issues);
  if (values.SMS_PROVIDER === "tencent") return tencentSmsConfig(values, ctx.issues);
  return { kind: "console" as const };
});
