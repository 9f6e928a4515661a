import type { TencentSmsConfig } from "../../config";
import type { Clock } from "../../core/clock";
import { callVendor, parseVendorJson } from "../http";
import { inFamily, ProviderError, ProviderErrorCode } from "../provider-error";
import type { SmsMessage, SmsSender } from "../types";
import { NOTICE_LABELS } from "./notice-labels";
import { authorizationHeader, credentialScope, signedHeaderNames, tc3Signature, utcDate } from "./tencent-signature";

const SERVICE = "sms";
const CONTENT_TYPE = "application/json; charset=utf-8";

interface SendSmsResponse {
  readonly Response?: {
    readonly Error?: { readonly Code?: unknown; readonly Message?: unknown };
    readonly SendStatusSet?: unknown;
  };
}

interface SendStatus {
  readonly SerialNo?: unknown;
  readonly Code?: unknown;
  readonly Message?: unknown;
}

/** Throttling and Tencent-side faults are told apart; every other code is a refusal of our request. */
function classify(code: string): ProviderErrorCode {
  if (inFamily(code, "RequestLimitExceeded") || inFamily(code, "LimitExceeded")) return ProviderErrorCode.RATE_LIMITED;
  if (inFamily(code, "InternalError") || inFamily(code, "ServiceUnavailable")) return ProviderErrorCode.UNAVAILABLE;
  return ProviderErrorCode.REJECTED;
}

function failure(code: string, message: unknown): ProviderError {
  const detail = typeof message === "string" ? `: ${message}` : "";
  return new ProviderError(classify(code), `tencent SendSms failed: ${code}${detail}`, code);
}

function template(config: TencentSmsConfig, message: SmsMessage): { id: string; params: string[] } {
  if (message.kind === "CODE") return { id: config.templateId, params: [message.code] };
  if (config.noticeTemplateId === undefined) {
    throw new ProviderError(
      ProviderErrorCode.UNSUPPORTED,
      "tencent: no security-notice template configured (TENCENT_SMS_NOTICE_TEMPLATE_ID)",
    );
  }
  return { id: config.noticeTemplateId, params: [NOTICE_LABELS[message.event]] };
}

/** Reads the one SendStatus of the one number sent: success is the literal `Ok`. */
function deliveryId(body: SendSmsResponse): string {
  const statuses = body.Response?.SendStatusSet;
  if (!Array.isArray(statuses) || statuses.length !== 1 || typeof statuses[0] !== "object" || statuses[0] === null) {
    throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "tencent: response without one SendStatus");
  }
  const status = statuses[0] as SendStatus;
  if (typeof status.Code !== "string") throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "tencent: SendStatus without a Code");
  if (status.Code !== "Ok") throw failure(status.Code, status.Message);
  if (typeof status.SerialNo !== "string")
    throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "tencent: Ok without a SerialNo", status.Code);
  return status.SerialNo;
}

/** Sends through Tencent Cloud SMS `SendSms` (2021-01-11), signed with TC3-HMAC-SHA256. */
export function createTencentSmsSender(config: TencentSmsConfig, timeoutMs: number, clock: Clock): SmsSender {
  const url = new URL("/", config.endpoint);
  return {
    id: "tencent",
    async send(phoneE164, message) {
      const { id, params } = template(config, message);
      const payload = JSON.stringify({
        PhoneNumberSet: [phoneE164],
        SmsSdkAppId: config.sdkAppId,
        SignName: config.signName,
        TemplateId: id,
        TemplateParamSet: params,
      });
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      // fetch sends the URL's host whatever Host says, so that is the value signed.
      const signed = { "Content-Type": CONTENT_TYPE, Host: url.host };
      const signature = tc3Signature(config.secretKey, SERVICE, timestamp, {
        method: "POST",
        canonicalQueryString: "",
        headers: signed,
        payload,
      });
      const response = await callVendor(
        url.toString(),
        {
          method: "POST",
          headers: {
            ...signed,
            "X-TC-Action": "SendSms",
            "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Region": config.region,
            Authorization: authorizationHeader(
              config.secretId,
              credentialScope(utcDate(timestamp), SERVICE),
              signedHeaderNames(signed),
              signature,
            ),
          },
          body: payload,
        },
        timeoutMs,
      );
      const body = parseVendorJson<SendSmsResponse | null>(response.text, "tencent");
      const error = body?.Response?.Error;
      if (error !== undefined) {
        if (typeof error?.Code !== "string") throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, "tencent: Error without a Code");
        throw failure(error.Code, error.Message);
      }
      return { deliveryId: deliveryId(body ?? {}) };
    },
  };
}
