import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "Scan the QR code (or type the secret) in an authenticator app, then confirm with a code from it." })
export class TotpEnrollment {
  @Field({ description: "Base32, for typing into the app by hand." })
  secret: string;

  @Field({ description: "otpauth://totp/<issuer>:<account>?secret=...&issuer=...: what the QR code holds." })
  otpauthUri: string;
}
