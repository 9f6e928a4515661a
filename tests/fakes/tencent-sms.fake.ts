import { randomInt, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { TC3_ALGORITHM, tc3Signature, utcDate } from "../../src/providers/sms/tencent-signature";
import { startVendorServer, type FaultControls, type InjectedError } from "./vendor-server";

/**
 * A loopback stand-in for Tencent Cloud SMS `SendSms` (2021-01-11, TC3-HMAC-SHA256) that checks requests
 * the way the real API does, so the adapter is tested against its signing, not against itself.
 */
export interface FakeTencentSms extends FaultControls {
  /** e.g. `http://127.0.0.1:PORT`, to use as TENCENT_SMS_ENDPOINT. */
  readonly url: string;
  /**
   * Accepted sends, one per number, in order. An injected vendor error fails per number in SendStatusSet
   * for `FailedOperation.*`, `LimitExceeded.PhoneNumber*` and `InvalidParameterValue.IncorrectPhoneNumber`,
   * as the real API does, otherwise as a request-level `Response.Error`.
   */
  readonly messages: { phoneNumber: string; signName: string; templateId: string; templateParams: string[] }[];
  stop(): Promise<void>;
}

/** Ends the handling of a request with a request-level error (always HTTP 200, as the real API answers). */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface SendSmsBody {
  readonly PhoneNumberSet: string[];
  readonly SmsSdkAppId: string;
  readonly TemplateId: string;
  readonly SignName: string;
  readonly TemplateParamSet: string[];
  readonly SessionContext: string;
}

const SERVICE = "sms";
const MAX_SKEW_SECONDS = 5 * 60;
const AUTHORIZATION = new RegExp(
  `^${TC3_ALGORITHM} Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/([^/]+)/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`,
);
const KNOWN_FIELDS = new Set([
  "PhoneNumberSet",
  "SmsSdkAppId",
  "TemplateId",
  "SignName",
  "TemplateParamSet",
  "ExtendCode",
  "SessionContext",
  "SenderId",
]);
/** E.164; a mainland number is 11 digits starting with 1. */
const PHONE = /^\+861\d{10}$|^\+(?!86)[1-9]\d{6,14}$/;
const PER_NUMBER_CODES = ["FailedOperation.", "LimitExceeded.PhoneNumber", "InvalidParameterValue.IncorrectPhoneNumber"];

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** The 2021-01-11 body: its field names only (2019-07-11's `Sign`, `TemplateID`... are unknown here). */
function parseBody(text: string, sdkAppId: string): SendSmsBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Refusal("InvalidParameter", "The request body is not a JSON object.");
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((name) => !KNOWN_FIELDS.has(name));
  if (unknown !== undefined) throw new Refusal("UnknownParameter", `The parameter \`${unknown}\` is not recognized.`);
  for (const name of ["PhoneNumberSet", "SmsSdkAppId", "TemplateId", "SignName"]) {
    if (fields[name] === undefined) throw new Refusal("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
  }
  for (const name of ["SmsSdkAppId", "TemplateId", "SignName"]) {
    if (typeof fields[name] !== "string") throw new Refusal("InvalidParameter", `The value type of parameter \`${name}\` is not valid.`);
  }
  for (const name of ["PhoneNumberSet", "TemplateParamSet"]) {
    if (fields[name] !== undefined && !isStringArray(fields[name]))
      throw new Refusal("InvalidParameter", `The value type of parameter \`${name}\` is not valid.`);
  }
  const phones = fields.PhoneNumberSet as string[];
  if (phones.length === 0 || phones.length > 200) throw new Refusal("InvalidParameterValue", "PhoneNumberSet must hold 1 to 200 numbers.");
  if (fields.SmsSdkAppId !== sdkAppId) throw new Refusal("InvalidParameterValue.SdkAppIdNotExist", "The SdkAppId does not exist.");
  return {
    PhoneNumberSet: phones,
    SmsSdkAppId: fields.SmsSdkAppId,
    TemplateId: fields.TemplateId as string,
    SignName: fields.SignName as string,
    TemplateParamSet: (fields.TemplateParamSet as string[] | undefined) ?? [],
    SessionContext: typeof fields.SessionContext === "string" ? fields.SessionContext : "",
  };
}

export async function startFakeTencentSms(credentials: { secretId: string; secretKey: string; sdkAppId: string }): Promise<FakeTencentSms> {
  const messages: FakeTencentSms["messages"] = [];

  /** The API's checks: action, version, region, then the TC3 signature over the exact bytes received. */
  function verify(request: IncomingMessage, query: string, payload: string): void {
    if (header(request, "x-tc-action") !== "SendSms") throw new Refusal("InvalidAction", "The action requested is invalid.");
    if (header(request, "x-tc-version") !== "2021-01-11") throw new Refusal("NoSuchVersion", "The API version is invalid.");
    if (!header(request, "x-tc-region")) throw new Refusal("MissingParameter", "The request is missing a required parameter `Region`.");
    const rawTimestamp = header(request, "x-tc-timestamp");
    if (rawTimestamp === undefined) throw new Refusal("MissingParameter", "The request is missing a required parameter `X-TC-Timestamp`.");
    if (!/^\d+$/.test(rawTimestamp)) throw new Refusal("InvalidParameterValue", "X-TC-Timestamp is not a unix timestamp.");
    const match = AUTHORIZATION.exec(header(request, "authorization") ?? "");
    if (match === null) throw new Refusal("AuthFailure.InvalidAuthorization", "Authorization is not a TC3-HMAC-SHA256 header.");
    const [, secretId, scopeDate, service, signedHeaders, signature] = match;
    if (secretId !== credentials.secretId) throw new Refusal("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
    const timestamp = Number(rawTimestamp);
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - timestamp) > MAX_SKEW_SECONDS) {
      throw new Refusal("AuthFailure.SignatureExpire", `Signature expired. Timestamp is ${timestamp}, server current time is ${now}.`);
    }
    if (scopeDate !== utcDate(timestamp) || service !== SERVICE) {
      throw new Refusal("AuthFailure.SignatureFailure", `The credential scope must be ${utcDate(timestamp)}/${SERVICE}/tc3_request.`);
    }
    const names = signedHeaders.split(";");
    if (!names.includes("content-type") || !names.includes("host")) {
      throw new Refusal("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host.");
    }
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = header(request, name);
      if (value === undefined) throw new Refusal("AuthFailure.InvalidAuthorization", `Signed header ${name} is missing.`);
      headers[name] = value;
    }
    const expected = tc3Signature(credentials.secretKey, SERVICE, timestamp, {
      method: request.method ?? "",
      canonicalQueryString: query,
      headers,
      payload,
    });
    if (signature !== expected) {
      throw new Refusal(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
      );
    }
  }

  function sendStatus(phone: string, sessionContext: string, code: string, message: string): object {
    const ok = code === "Ok";
    return {
      SerialNo: ok ? `2433:${Date.now()}${randomInt(100000000, 1000000000)}` : "",
      PhoneNumber: phone,
      Fee: ok ? 1 : 0,
      SessionContext: sessionContext,
      Code: code,
      Message: message,
      IsoCode: phone.startsWith("+86") ? "CN" : "",
    };
  }

  function handle(request: IncomingMessage, response: ServerResponse, payload: string, injected: InjectedError | undefined): void {
    const requestId = randomUUID();
    const url = new URL(request.url ?? "/", "http://fake");
    let result: object;
    try {
      if (request.method !== "POST" || url.pathname !== "/") throw new Refusal("InvalidAction", "Only POST / is served.");
      verify(request, url.search.slice(1), payload);
      if (!(header(request, "content-type") ?? "").startsWith("application/json")) {
        throw new Refusal("InvalidParameter", "Content-Type must be application/json.");
      }
      const body = parseBody(payload, credentials.sdkAppId);
      const perNumber = injected !== undefined && PER_NUMBER_CODES.some((prefix) => injected.code.startsWith(prefix));
      if (injected && !perNumber) throw new Refusal(injected.code, injected.message);
      const statuses = body.PhoneNumberSet.map((phone) => {
        if (!PHONE.test(phone))
          return sendStatus(phone, body.SessionContext, "InvalidParameterValue.IncorrectPhoneNumber", "invalid mobile number");
        if (injected) return sendStatus(phone, body.SessionContext, injected.code, injected.message);
        messages.push({ phoneNumber: phone, signName: body.SignName, templateId: body.TemplateId, templateParams: body.TemplateParamSet });
        return sendStatus(phone, body.SessionContext, "Ok", "send success");
      });
      result = { SendStatusSet: statuses, RequestId: requestId };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      result = { Error: { Code: error.code, Message: error.message }, RequestId: requestId };
    }
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ Response: result }));
  }

  const server = await startVendorServer(handle);
  return Object.assign(server, { messages });
}
