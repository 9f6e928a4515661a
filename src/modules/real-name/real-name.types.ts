import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum RealNameStatus {
  NOT_STARTED = "NOT_STARTED",
  PENDING = "PENDING",
  PASSED = "PASSED",
  FAILED = "FAILED",
}
registerEnumType(RealNameStatus, { name: "RealNameStatus" });

@ObjectType()
export class RealNameVerification {
  @Field(() => RealNameStatus)
  status: RealNameStatus;

  @Field(() => String, { nullable: true })
  maskedName?: string | null;

  @Field(() => String, { nullable: true })
  maskedIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "While PENDING: the provider's verification URL, to open or scan." })
  verifyUrl?: string | null;

  @Field(() => String, { nullable: true })
  qrCodeDataUrl?: string | null;

  @Field(() => Date, { nullable: true })
  verifiedAt?: Date | null;

  @Field(() => String, { nullable: true })
  failureReason?: string | null;
}
