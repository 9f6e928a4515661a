import type { AlipayConfig } from "../../config";
import type { Clock } from "../../core/clock";
import { AlipayGateway } from "../alipay/alipay-gateway";
import { ProviderError, ProviderErrorCode } from "../provider-error";
import type { IdentityCheckResult, IdentityVerifier } from "../types";

const INITIALIZE = "alipay.user.certify.open.initialize";
const CERTIFY = "alipay.user.certify.open.certify";
const QUERY = "alipay.user.certify.open.query";

/** Alipay's answer for a certify_id it does not know or that has expired (23 h after initialize). */
const BILL_NOT_EXIST = "OPEN_CERTIFY_BILL_NOT_EXIST";
const EXPIRED_REASON = "The verification expired or does not exist; start it again.";

/** The fields of `alipay_user_certify_open_initialize_response` we use (docs/providers.md §3.9a). */
interface InitializeNode {
  readonly certify_id?: unknown;
}

/** The fields of `alipay_user_certify_open_query_response` we use (docs/providers.md §3.9c). */
interface QueryNode {
  readonly passed?: unknown;
}

/**
 * Alipay's sub_msg is passed on verbatim and the gateway may quote parameters in it: an error about a
 * check must not carry the person's name or ID number into logs.
 */
function withoutPersonalData(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof ProviderError)) return error;
  const message = secrets.filter((secret) => secret !== "").reduce((text, secret) => text.replaceAll(secret, "…"), error.message);
  return message === error.message ? error : new ProviderError(error.code, message, error.vendorCode);
}

/**
 * Alipay real-name verification (支付宝身份验证, docs/providers.md §3.9): `initialize` registers the name and ID
 * number and returns a certify_id; the person does the face check on the signed `certify` page in the
 * Alipay app; `query` reads the result. Alipay sends no notification, so the caller polls `query`.
 */
export function createAlipayIdentityVerifier(config: AlipayConfig, timeoutMs: number, clock: Clock): IdentityVerifier {
  const gateway = new AlipayGateway(config, timeoutMs, clock);
  return {
    id: "alipay",
    async start(request) {
      let node: InitializeNode;
      try {
        node = await gateway.call<InitializeNode>(INITIALIZE, {
          bizContent: {
            // outer_order_no is at most 32 alphanumerics: our UUID without its dashes.
            outer_order_no: request.reference.replaceAll("-", ""),
            biz_code: "FACE",
            // An object inside biz_content: sent as a string, Alipay fails with unknown-sub-code.
            identity_param: {
              identity_type: "CERT_INFO",
              cert_type: "IDENTITY_CARD",
              cert_name: request.legalName,
              cert_no: request.idNumber,
            },
            merchant_config: { return_url: request.returnUrl ?? "" },
          },
        });
      } catch (error) {
        throw withoutPersonalData(error, [request.legalName, request.idNumber]);
      }
      const certifyId = node.certify_id;
      if (typeof certifyId !== "string" || certifyId === "") {
        throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${INITIALIZE}: answer without certify_id`);
      }
      // A page-redirect API: the person opens the signed URL (or scans it as a QR code), we never call it.
      return { vendorReference: certifyId, verifyUrl: gateway.pageUrl(CERTIFY, { certify_id: certifyId }) };
    },
    async query(certifyId): Promise<IdentityCheckResult> {
      let node: QueryNode;
      try {
        node = await gateway.call<QueryNode>(QUERY, { bizContent: { certify_id: certifyId } });
      } catch (error) {
        if (error instanceof ProviderError && error.vendorCode === BILL_NOT_EXIST)
          return { status: "FAILED", failureCode: "EXPIRED", reason: EXPIRED_REASON };
        throw error;
      }
      // "F" is also what Alipay answers before the person has finished: the caller's timeout decides failure.
      if (node.passed === "T") return { status: "PASSED" };
      if (node.passed === "F") return { status: "PENDING" };
      throw new ProviderError(ProviderErrorCode.INVALID_RESPONSE, `alipay ${QUERY}: answer without passed T/F`);
    },
  };
}
