import { required, text, type Issues, type SettingValues } from "../../core/env-settings";

/** Tencent Cloud `SendSms` (2021-01-11, TC3-HMAC-SHA256): read when SMS_PROVIDER=tencent. */
export const tencentSmsSettings = {
  TENCENT_SECRET_ID: text(undefined, { description: "Tencent Cloud `SendSms` 2021-01-11: the API key's SecretId" }),
  TENCENT_SECRET_KEY: text(undefined, { description: "the API key's SecretKey (signs each request with TC3-HMAC-SHA256)" }),
  TENCENT_SMS_SDK_APP_ID: text(undefined, { description: "the SMS application's `SmsSdkAppId`" }),
  TENCENT_SMS_SIGN_NAME: text(undefined, { description: "the approved signature (签名) every message carries" }),
  TENCENT_SMS_TEMPLATE_ID: text(undefined, { description: "the code template; the code is `TemplateParamSet[0]`" }),
  TENCENT_SMS_NOTICE_TEMPLATE_ID: text(undefined, {
    description: "optional template for security notices, with one parameter, the event; without it notices go by email only",
  }),
  TENCENT_SMS_REGION: text("ap-guangzhou", { description: "the region each request names (`X-TC-Region`)" }),
  TENCENT_SMS_ENDPOINT: text("https://sms.tencentcloudapi.com", { description: "where `SendSms` is posted" }),
};

export function tencentSmsConfig(values: SettingValues<typeof tencentSmsSettings>, issues: Issues) {
  const because = "SMS_PROVIDER=tencent";
  return {
    kind: "tencent" as const,
    secretId: required(issues, values, "TENCENT_SECRET_ID", because),
    secretKey: required(issues, values, "TENCENT_SECRET_KEY", because),
    sdkAppId: required(issues, values, "TENCENT_SMS_SDK_APP_ID", because),
    signName: required(issues, values, "TENCENT_SMS_SIGN_NAME", because),
    templateId: required(issues, values, "TENCENT_SMS_TEMPLATE_ID", because),
    /** Optional template with one parameter, the event, for security notices. */
    noticeTemplateId: values.TENCENT_SMS_NOTICE_TEMPLATE_ID,
    region: values.TENCENT_SMS_REGION,
    endpoint: values.TENCENT_SMS_ENDPOINT,
  };
}
