import { buildSchema, type ContainerType } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./graphql/auth-checker";
import { QR_CODE_FIELDS } from "./graphql/qr-code-fields";
import { DateTimeScalar } from "./graphql/scalars";
import { AccountResolver } from "./modules/account/account.resolver";
import { AdminResolver } from "./modules/admin/admin.resolver";
import { ApiKeyResolver } from "./modules/api-key/api-key.resolver";
import { AuditEventConnectionResolver, AuditResolver } from "./modules/audit/audit.resolver";
import { AuthResolver } from "./modules/auth/auth.resolver";
import { ContactResolver } from "./modules/contact/contact.resolver";
import { PasswordResetResolver } from "./modules/password-reset/password-reset.resolver";
import { PasswordResolver } from "./modules/password/password.resolver";
import { RealNameResolver } from "./modules/real-name/real-name.resolver";
import { SecurityResolver } from "./modules/security/security.resolver";
import { DEVICE_FIELDS } from "./modules/session/device-fields";
import { SessionResolver } from "./modules/session/session.resolver";
import { SocialResolver } from "./modules/social/social.resolver";
import { StepUpHintsResolver, StepUpResolver } from "./modules/step-up/step-up.resolver";
import { TotpResolver } from "./modules/totp/totp.resolver";
import { TwoStepResolver } from "./modules/two-step/two-step.resolver";

export const RESOLVERS = [
  AccountResolver,
  AuthResolver,
  PasswordResolver,
  PasswordResetResolver,
  SessionResolver,
  AuditResolver,
  AuditEventConnectionResolver,
  StepUpResolver,
  StepUpHintsResolver,
  TotpResolver,
  TwoStepResolver,
  SecurityResolver,
  ContactResolver,
  SocialResolver,
  RealNameResolver,
  ApiKeyResolver,
  AdminResolver,
  ...QR_CODE_FIELDS,
  ...DEVICE_FIELDS,
] as const;

/** The schema from the resolvers; `container` supplies resolver instances wired to services. */
export function buildAppSchema(container?: ContainerType): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    container,
    authChecker,
    // Input classes are validated with class-validator before any resolver runs.
    validate: { forbidUnknownValues: true, validationError: { target: false, value: false } },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
}
