import { registerEnumType } from "type-graphql";

/**
 * The words for "email, phone, SMS" and the one place they map onto each other. An address has a
 * ContactKind (EMAIL, PHONE): a bound contact, the recipient of a notice, a sign-in name. A proof has
 * a VerificationMethod (EMAIL code, SMS code, TOTP, RECOVERY_CODE, PASSWORD): what a challenge checks,
 * what two-step and step-up offer. The methods we send a code for go to one kind of address each.
 */
export enum ContactKind {
  EMAIL = "EMAIL",
  PHONE = "PHONE",
}
registerEnumType(ContactKind, {
  name: "ContactKind",
  description: "A kind of address a code can be sent to.",
  valuesConfig: {
    EMAIL: { description: "An email address; codes come by email." },
    PHONE: { description: "A mobile number; codes come by SMS." },
  },
});

/** A third-party account: a way to sign in, and (Alipay) a capability. */
export enum ProviderKind {
  WECHAT = "WECHAT",
  QQ = "QQ",
  ALIPAY = "ALIPAY",
}
registerEnumType(ProviderKind, {
  name: "ProviderKind",
  description: "A third-party account provider to sign in with or bind.",
  valuesConfig: {
    WECHAT: { description: "WeChat (website sign-in, by QR code)." },
    QQ: { description: "QQ Connect." },
    ALIPAY: { description: "Alipay; binding it lets the account withdraw (capabilities.canWithdraw)." },
  },
});

export enum VerificationMethod {
  EMAIL = "EMAIL",
  SMS = "SMS",
  TOTP = "TOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
  /** Step-up only, and only on an account with no usable second factor. */
  PASSWORD = "PASSWORD",
}
registerEnumType(VerificationMethod, {
  name: "VerificationMethod",
  description: "A way to prove who you are: for two-step sign-in and step-up.",
  valuesConfig: {
    EMAIL: { description: "A code sent to the bound email." },
    SMS: { description: "A code sent by SMS to the bound mobile number." },
    TOTP: { description: "The 6 digits an authenticator app shows." },
    RECOVERY_CODE: { description: "One of the recovery codes given with the authenticator app; each works once." },
    PASSWORD: {
      description: "Re-entering the password: a step-up method only, offered only while the account has no usable second factor.",
    },
  },
});

/** What proved the account first at sign-in: its password, or a provider account bound to it. */
export type FirstFactor = "PASSWORD" | ProviderKind;

export function isFirstFactor(value: unknown): value is FirstFactor {
  return value === "PASSWORD" || Object.values<unknown>(ProviderKind).includes(value);
}

export function isContactKind(value: unknown): value is ContactKind {
  return Object.values<unknown>(ContactKind).includes(value);
}

/** A method whose code this server sends, to a bound address. */
export type SentMethod = VerificationMethod.EMAIL | VerificationMethod.SMS;

const CONTACT_OF_METHOD = { [VerificationMethod.EMAIL]: ContactKind.EMAIL, [VerificationMethod.SMS]: ContactKind.PHONE } as const;
const METHOD_OF_CONTACT = { [ContactKind.EMAIL]: VerificationMethod.EMAIL, [ContactKind.PHONE]: VerificationMethod.SMS } as const;

export function isSentMethod(method: VerificationMethod): method is SentMethod {
  return method in CONTACT_OF_METHOD;
}

/** The kind of address a sent method's code goes to: EMAIL to an email, SMS to a phone. */
export function contactKindOf(method: SentMethod): ContactKind {
  return CONTACT_OF_METHOD[method];
}

/** How a code reaches an address of this kind. */
export function sentMethodOf(kind: ContactKind): SentMethod {
  return METHOD_OF_CONTACT[kind];
}
