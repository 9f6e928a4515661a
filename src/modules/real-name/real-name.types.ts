import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { IsOptional, IsUrl, Matches, MaxLength } from "../../graphql/constraints";
import { systemClock } from "../../core/clock";
import { PLAIN_FIELDS } from "../../graphql/plain-fields";
import { fieldRule } from "../../graphql/validation";
import { Account } from "../account/account.types";
import { idNumberProblem, LEGAL_NAME_PATTERN } from "./id-number";

export enum RealNameStatus {
  NOT_STARTED = "NOT_STARTED",
  PENDING = "PENDING",
  PASSED = "PASSED",
  FAILED = "FAILED",
}
registerEnumType(RealNameStatus, {
  name: "RealNameStatus",
  description: "Where the account's real-name verification stands.",
  valuesConfig: {
    NOT_STARTED: { description: "No verification was started." },
    PENDING: { description: "Started; the person has to finish at the provider (verifyUrl), then refreshRealNameVerification." },
    PASSED: { description: "The person is verified; this does not change again." },
    FAILED: { description: "It did not pass (failureCode says why); it may be started again." },
  },
});

export enum RealNameFailureCode {
  NOT_MATCHED = "NOT_MATCHED",
  EXPIRED = "EXPIRED",
  TIMED_OUT = "TIMED_OUT",
  ID_NUMBER_TAKEN = "ID_NUMBER_TAKEN",
}
registerEnumType(RealNameFailureCode, {
  name: "RealNameFailureCode",
  description: "Why a verification FAILED, for clients to word in their own language.",
  valuesConfig: {
    NOT_MATCHED: { description: "The provider's face check did not match the person on the ID card." },
    EXPIRED: { description: "The check expired at the provider, or the provider no longer knows it." },
    TIMED_OUT: { description: "Not finished within REAL_NAME_PENDING_TIMEOUT_SECONDS." },
    ID_NUMBER_TAKEN: { description: "The ID number already passed verification on as many other accounts as allowed." },
  },
});

@ObjectType({
  ...PLAIN_FIELDS,
  description: "The account's real-name verification (one per account, so it belongs to Account.realName). Personal data only ever masked.",
})
export class RealNameVerification {
  @Field(() => ID, {
    description: "`<account id>:real-name`: the account's verification, whichever attempt it shows, has one id in every query.",
  })
  id: string;

  @Field(() => RealNameStatus, { description: "Where it stands." })
  status: RealNameStatus;

  @Field(() => String, { nullable: true, description: "e.g. 张*" })
  maskedName?: string | null;

  @Field(() => String, { nullable: true, description: "e.g. 1101**********002X" })
  maskedIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "While PENDING: the provider's verification URL, to open or scan." })
  verifyUrl?: string | null;

  @Field(() => Date, { nullable: true, description: "When it passed; null unless PASSED." })
  verifiedAt?: Date | null;

  @Field(() => String, { nullable: true, description: "For FAILED: why, in English words; failureCode is the same for programs." })
  failureReason?: string | null;

  @Field(() => RealNameFailureCode, { nullable: true, description: "For FAILED: why, for programs to word in their own language." })
  failureCode?: RealNameFailureCode | null;
}

/** GB 11643: 18 characters, a real birth date not in the future, and the right check character. */
const IsResidentIdNumber = fieldRule("isResidentIdNumber", (value) => {
  // Validation has no request clock; a birth date "in the future" by the wall clock is what matters here.
  const message = typeof value === "string" ? idNumberProblem(value, systemClock) : "idNumber must be a string";
  return message === null ? null : { code: "INVALID_ID_NUMBER", message };
});

@InputType({ description: "Whose identity startRealNameVerification checks, and where the provider sends the person back." })
export class StartRealNameVerificationInput {
  @Field({ description: "As on the ID card: 2-30 characters, Chinese or letters, with · between the parts of a transliterated name." })
  @Matches(LEGAL_NAME_PATTERN, { message: "legalName must be 2-30 characters of Chinese or letters, parts joined by · or a space" })
  legalName: string;

  @Field({ description: "The 18-character resident ID number." })
  @IsResidentIdNumber()
  idNumber: string;

  @Field(() => String, {
    nullable: true,
    description: "Where the provider sends the person back: this server's origin or one of REDIRECT_ORIGINS.",
  })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ["http", "https"], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: "returnUrl must be an absolute http(s) URL" },
  )
  returnUrl?: string | null;
}

@ObjectType({ description: "What startRealNameVerification started." })
export class StartRealNameVerificationPayload {
  @Field(() => RealNameVerification, { description: "The new verification, PENDING: open or scan its verifyUrl." })
  realName: RealNameVerification;

  @Field(() => Account, { description: "The account, whose realName is the new verification." })
  account: Account;
}

@ObjectType({ description: "What refreshRealNameVerification found." })
export class RefreshRealNameVerificationPayload {
  @Field(() => RealNameVerification, { description: "The verification as it stands now: still PENDING, PASSED or FAILED." })
  realName: RealNameVerification;

  @Field(() => Account, { description: "The account, whose realName and capabilities show the outcome." })
  account: Account;
}
