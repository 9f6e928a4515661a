import { Extensions, FieldResolver, Resolver, Root, type ClassType } from "type-graphql";
import { qrCodes } from "../core/qr-codes";
import { RealNameVerification } from "../modules/real-name/real-name.types";
import { ProviderAuthorization, ProviderKind } from "../modules/social/social.types";
import { TotpEnrollment } from "../modules/totp/totp.types";
import { FIELD_COST } from "./query-limits";

/**
 * `qrCodeDataUrl` on a type, drawn only when a client asks for it (and costed as a drawing), so a
 * mutation that returns the type does not pay for pictures nobody selected.
 */
function qrCodeField<T extends object>(type: ClassType<T>, text: (root: T) => string | null | undefined, nullable: boolean) {
  @Resolver(() => type)
  class QrCodeField {
    @Extensions(FIELD_COST.QR_CODE)
    @FieldResolver(() => String, {
      nullable,
      description: `A PNG data URL of the QR code${nullable ? " (null when there is nothing to scan)" : ""}.`,
    })
    // Not async: most roots have nothing to scan, and a null answered at once keeps the parent's fields free of promises.
    qrCodeDataUrl(@Root() root: T): Promise<string> | null {
      const shown = text(root);
      return shown ? qrCodes.dataUrl(shown) : null;
    }
  }
  return QrCodeField;
}

export const QR_CODE_FIELDS = [
  qrCodeField(TotpEnrollment, (enrollment) => enrollment.otpauthUri, false),
  // Alipay is bound by scanning with its phone app; WeChat's and QQ's pages show their own QR codes.
  qrCodeField(
    ProviderAuthorization,
    (authorization) => (authorization.provider === ProviderKind.ALIPAY ? authorization.authorizeUrl : null),
    true,
  ),
  // verifyUrl is there only while the check is PENDING.
  qrCodeField(RealNameVerification, (verification) => verification.verifyUrl, true),
] as const;
