import { required, text, type Issues, type SettingValues } from "../../core/env-settings";

/** Aliyun `SendSms` (dysmsapi 2017-05-25, RPC signature v1, HMAC-SHA1): read when SMS_PROVIDER=aliyun. */
export const aliyunSmsSettings = {
  ALIYUN_ACCESS_KEY_ID: text(undefined, { description: "Aliyun `SendSms`: the AccessKey id" }),
  ALIYUN_ACCESS_KEY_SECRET: text(undefined, { description: "the AccessKey secret (signs each request with HMAC-SHA1)" }),
  ALIYUN_SMS_SIGN_NAME: text(undefined, { description: "the approved signature (签名) every message carries" }),
  ALIYUN_SMS_TEMPLATE_CODE: text(undefined, { description: "the code template; it has the variable `${code}`" }),
  ALIYUN_SMS_NOTICE_TEMPLATE_CODE: text(undefined, {
    description: "optional template for security notices, with the one variable `${event}`; without it notices go by email only",
  }),
  ALIYUN_SMS_ENDPOINT: text("https://dysmsapi.aliyuncs.com", { description: "where `SendSms` is posted" }),
};

export function aliyunSmsConfig(values: SettingValues<typeof aliyunSmsSettings>, issues: Issues) {
  const because = "SMS_PROVIDER=aliyun";
  return {
    kind: "aliyun" as const,
    accessKeyId: required(issues, values, "ALIYUN_ACCESS_KEY_ID", because),
    accessKeySecret: required(issues, values, "ALIYUN_ACCESS_KEY_SECRET", because),
    signName: required(issues, values, "ALIYUN_SMS_SIGN_NAME", because),
    templateCode: required(issues, values, "ALIYUN_SMS_TEMPLATE_CODE", because),
    /** Optional template with one variable, `event`, for security notices. */
    noticeTemplateCode: values.ALIYUN_SMS_NOTICE_TEMPLATE_CODE,
    endpoint: values.ALIYUN_SMS_ENDPOINT,
  };
}
