import { buildSchema, type ContainerType } from "type-graphql";
import { assertValidSchema, type GraphQLSchema } from "graphql";
import { authChecker } from "./graphql/auth-checker";
import { ErrorExtensions } from "./graphql/error-types";
import { QR_CODE_FIELDS } from "./graphql/qr-code-fields";
import { validateInput } from "./graphql/validation";
import { DateTimeScalar } from "./graphql/scalars";
import { AccountResolver } from "./modules/account/account.resolver";
import { AdminResolver } from "./modules/admin/admin.resolver";
import { ApiKeyConnectionResolver, ApiKeyResolver } from "./modules/api-key/api-key.resolver";
import { AuditEventConnectionResolver, AuditResolver } from "./modules/audit/audit.resolver";
import { AuthResolver } from "./modules/auth/auth.resolver";
import { ContactResolver } from "./modules/contact/contact.resolver";
import { PasswordResetResolver } from "./modules/password-reset/password-reset.resolver";
import { PasswordResolver } from "./modules/password/password.resolver";
import { RealNameResolver } from "./modules/real-name/real-name.resolver";
import { SecurityResolver } from "./modules/security/security.resolver";
import { DEVICE_FIELDS } from "./modules/session/device-fields";
import { SessionConnectionResolver, SessionResolver } from "./modules/session/session.resolver";
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
  SessionConnectionResolver,
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
  ApiKeyConnectionResolver,
  AdminResolver,
  ...QR_CODE_FIELDS,
  ...DEVICE_FIELDS,
] as const;

/** The schema from the resolvers; `container` supplies resolver instances wired to services. */
export async function buildAppSchema(container?: ContainerType): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    container,
    authChecker,
    // Input classes are validated with class-validator before any resolver runs.
    validateFn: validateInput,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Returned by no field; in the schema so codegen types `extensions` (and with it ErrorCode and FieldErrorCode).
    orphanedTypes: [ErrorExtensions],
    // type-graphql would run the whole introspection query over the new schema to look for errors
    // (~half of building it, ~60 ms at start); graphql-js's assertValidSchema below checks the same
    // rules, and Apollo asserts it again and prints the schema (every default value) at start.
    skipCheck: true,
  });
  assertValidSchema(schema);
  // type-graphql takes no descriptions for the root types; graphql-js's types keep theirs in a plain property.
  const [query, mutation] = [schema.getQueryType(), schema.getMutationType()];
  if (query) query.description = "Reads. `me` needs a session or an API key with the ACCOUNT_READ scope; `providers` needs nothing.";
  if (mutation) {
    mutation.description =
      "Changes. Each needs a session (or an ACCOUNT_WRITE API key where its description allows one) unless it signs in; errors are GraphQL errors with an ErrorCode in `extensions.code`.";
  }
  return schema;
}
