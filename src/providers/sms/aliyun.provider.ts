import { randomUUID } from "node:crypto";
import type { AliyunSmsConfig } from "../../config";
import type { Clock } from "../../core/clock";
import { callVendor, parseVendorJson } from "../http";
import { inFamily, ProviderError, ProviderErrorCode } from "../provider-error";
import type { SmsMessage, SmsSender } from "../types";
import { encodeRpcParams, signRpcV1 } from "./aliyun-signature";
import { NOTICE_LABELS } from "./notice-labels";

interface SendSmsResponse {
  readonly Code?: unknown;
  readonly Message?: unknown;
  readonly BizId?: unknown;
}

const RATE_LIMIT_CODES = new Set(["isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL"]);

/**
 * Flow control (the `isv.*_LIMIT_CONTROL` codes per number, the gateway's `Throttling.*` per account
 * and API) is a wait, not a refusal. `isp.*` codes are Aliyun-side faults worth retrying, except a
 * missing RAM policy, which is ours; so are the gateway's `ServiceUnavailable` and `InternalError`.
 */
function classify(code: string): ProviderErrorCode {
  if (RATE_LIMIT_CODES.has(code) || inFamily(code, "Throttling")) return ProviderErrorCode.RATE_LIMITED;
  if (code.startsWith("isp.") && code !== "isp.RAM_PERMISSION_DENY") return ProviderErrorCode.UNAVAILABLE;
  if (inFamily(code, "ServiceUnavailable") || inFamily(code, "InternalError")) return ProviderErrorCode.UNAVAILABLE;
  return ProviderErrorCode.REJECTED;
}

/** Domestic numbers go without a prefix; others as digits with their country code, no `+`. */
function toAliyunPhone(phoneE164: string): string {
  return phoneE164.startsWith("+86") ? phoneE164.slice(3) : phoneE164.slice(1);
}

/** `YYYY-MM-DDThh:mm:ssZ`: the gateway refuses milliseconds. */
function aliyunTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function template(config: AliyunSmsConfig, message: SmsMessage): { code: string; param: Record<string, string> } {
  if (message.kind === "CODE") return { code: config.templateCode, param: { code: message.code } };
  if (config.noticeTemplateCode === undefined) {
    throw new ProviderError(
      ProviderErrorCode.UNSUPPORTED,
      "aliyun: no security-notice template configured (ALIYUN_SMS_NOTICE_TEMPLATE_CODE)",
    );
  }
  return { code: config.noticeTemplateCode, param: { event: NOTICE_LABELS[message.event] } };
}

/** Sends through dysmsapi `SendSms` (2017-05-25), signed with RPC signature v1. */
export function createAliyunSmsSender(config: AliyunSmsConfig, timeoutMs: number, clock: Clock): SmsSender {
  return {
    id: "aliyun",
    async send(phoneE164, message) {
      const { code, param } = template(config, message);
      const params: Record<string, string> = {
        AccessKeyId: config.accessKeyId,
        Action: "SendSms",
        Format: "JSON",
        RegionId: "cn-hangzhou",
        SignatureMethod: "HMAC-SHA1",
        SignatureVersion: "1.0",
        SignatureNonce: randomUUID(),
        Timestamp: aliyunTimestamp(clock.now()),
        Version: "2017-05-25",
        PhoneNumbers: toAliyunPhone(phoneE164),
        SignName: config.signName,
        TemplateCode: code,
        TemplateParam: JSON.stringify(param),
      };
      params.Signature = signRpcV1("POST", params, config.accessKeySecret);
      const response = await callVendor(
        new URL("/", config.endpoint).toString(),
        { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: encodeRpcParams(params) },
        timeoutMs,
      );
      const body = parseVendorJson<SendSmsResponse | null>(response.text, "aliyun");
      if (typeof body?.Code !== "string") {
        throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `aliyun: HTTP ${response.status} without a Code`);
      }
      if (body.Code === "OK") {
        if (typeof body.BizId !== "string")
          throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "aliyun: OK without a BizId", body.Code);
        return { deliveryId: body.BizId };
      }
      // A signature mismatch echoes the string to sign, which holds the phone number: keep it out of logs.
      const detail = typeof body.Message === "string" ? `: ${body.Message.replace(/server string to sign is:.*$/s, "…")}` : "";
      throw new ProviderError(classify(body.Code), `aliyun SendSms failed: ${body.Code}${detail}`, body.Code);
    },
  };
}
