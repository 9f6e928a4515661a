import { randomInt, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { rpcStringToSign, signRpcV1 } from "../../src/providers/sms/aliyun-signature";
import { startVendorServer, type FaultControls, type InjectedError } from "./vendor-server";

/**
 * A loopback stand-in for dysmsapi `SendSms` (RPC, signature v1) that checks requests the way the real
 * gateway does, so the adapter is tested against its signing, not against itself.
 */
export interface FakeAliyunSms extends FaultControls {
  /** e.g. `http://127.0.0.1:PORT`, to use as ALIYUN_SMS_ENDPOINT. */
  readonly url: string;
  /** Accepted sends, in order. An injected vendor error answers `{Code, Message, RequestId}` (HTTP 200 for `isv.*`/`isp.*`, else 400). */
  readonly messages: { phoneNumbers: string; signName: string; templateCode: string; templateParam: Record<string, string> }[];
  stop(): Promise<void>;
}

/** Ends the handling of a request with a gateway or business error. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const COMMON_PARAMS = [
  "AccessKeyId",
  "Action",
  "Format",
  "RegionId",
  "SignatureMethod",
  "SignatureNonce",
  "SignatureVersion",
  "Timestamp",
  "Version",
  "Signature",
];
/** Fixed common values; Format could also be XML, but the fake answers JSON only. */
const FIXED_VALUES: Record<string, string> = { Format: "JSON", SignatureMethod: "HMAC-SHA1", SignatureVersion: "1.0" };
/** Domestic: 11 digits starting with 1, optionally prefixed; international: country code and number, no `+`. */
const PHONE = /^(?:(?:\+|00)?86)?1\d{10}$|^[1-9]\d{7,14}$/;

function businessStatus(code: string): number {
  return code.startsWith("isv.") || code.startsWith("isp.") ? 200 : 400;
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { "Content-Type": "application/json;charset=utf-8" });
  response.end(JSON.stringify(body));
}

/** TemplateParam must be a JSON object whose values are all strings. */
function parseTemplateParam(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new Refusal(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
  }
  return value as Record<string, string>;
}

export async function startFakeAliyunSms(credentials: { accessKeyId: string; accessKeySecret: string }): Promise<FakeAliyunSms> {
  const messages: FakeAliyunSms["messages"] = [];
  const usedNonces = new Set<string>();

  /** The gateway's checks, in its order: common parameters, key, time, nonce, signature, then SendSms's own. */
  function verify(params: Record<string, string>): void {
    for (const name of COMMON_PARAMS) {
      if (params[name] === undefined) throw new Refusal(400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
    if (params.Action !== "SendSms")
      throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    if (params.Version !== "2017-05-25") throw new Refusal(400, "InvalidVersion", "Specified parameter Version is not valid.");
    for (const [name, value] of Object.entries(FIXED_VALUES)) {
      if (params[name] !== value) throw new Refusal(400, "InvalidParameter", `Specified parameter ${name} is not valid.`);
    }
    if (params.AccessKeyId !== credentials.accessKeyId)
      throw new Refusal(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    if (!TIMESTAMP.test(params.Timestamp))
      throw new Refusal(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
    if (Math.abs(Date.parse(params.Timestamp) - Date.now()) > MAX_SKEW_MS) {
      throw new Refusal(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    }
    if (usedNonces.has(params.SignatureNonce)) throw new Refusal(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    if (params.Signature !== signRpcV1("POST", params, credentials.accessKeySecret)) {
      throw new Refusal(
        400,
        "SignatureDoesNotMatch",
        `Specified signature is not matched with our calculation. server string to sign is:${rpcStringToSign("POST", params)}`,
      );
    }
    // Only a correctly signed request spends its nonce, so forgeries cannot burn others' nonces.
    usedNonces.add(params.SignatureNonce);
    for (const name of ["PhoneNumbers", "SignName", "TemplateCode"]) {
      if (!params[name]) throw new Refusal(400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse, body: string, injected: InjectedError | undefined): void {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(request.url ?? "/", "http://fake");
    try {
      if (request.method !== "POST" || url.pathname !== "/") {
        throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
      }
      // Like the gateway, parameters may come in the query or the form body.
      const form = (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ? body : "";
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(form)]);
      verify(params);
      if (injected) throw new Refusal(businessStatus(injected.code), injected.code, injected.message);
      const templateParam = parseTemplateParam(params.TemplateParam);
      if (!params.PhoneNumbers.split(",").every((phone) => PHONE.test(phone)))
        throw new Refusal(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
      messages.push({ phoneNumbers: params.PhoneNumbers, signName: params.SignName, templateCode: params.TemplateCode, templateParam });
      sendJson(response, 200, { Code: "OK", Message: "OK", BizId: `${randomInt(100000, 1000000)}${Date.now()}`, RequestId: requestId });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      sendJson(response, error.status, { RequestId: requestId, Code: error.code, Message: error.message });
    }
  }

  const server = await startVendorServer(handle);
  return Object.assign(server, { messages });
}
