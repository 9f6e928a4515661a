import { registerEnumType } from "type-graphql";

/**
 * Every change guarded by a step-up, named by what the person does. Each guard names its action
 * (StepUpService.requireStepUp), so security.stepUpRequiredFor answers for exactly these.
 */
export enum SensitiveAction {
  CHANGE_PASSWORD = "CHANGE_PASSWORD",
  SET_PASSWORD = "SET_PASSWORD",
  BIND_CONTACT = "BIND_CONTACT",
  UNBIND_CONTACT = "UNBIND_CONTACT",
  BIND_PROVIDER = "BIND_PROVIDER",
  UNBIND_PROVIDER = "UNBIND_PROVIDER",
  ENROLL_TOTP = "ENROLL_TOTP",
  DISABLE_TOTP = "DISABLE_TOTP",
  REGENERATE_RECOVERY_CODES = "REGENERATE_RECOVERY_CODES",
  SET_TWO_STEP = "SET_TWO_STEP",
  CREATE_API_KEY = "CREATE_API_KEY",
  REVOKE_API_KEY = "REVOKE_API_KEY",
  START_REAL_NAME = "START_REAL_NAME",
  REPLACE_CONTACT_AS_SUPPORT = "REPLACE_CONTACT_AS_SUPPORT",
}

registerEnumType(SensitiveAction, {
  name: "SensitiveAction",
  description: "A change that may ask for a step-up (STEP_UP_REQUIRED) first; security.stepUpRequiredFor lists those that would now.",
  valuesConfig: {
    CHANGE_PASSWORD: {
      description: "changePassword. While the password is the account's only step-up method, the current password it takes is the step-up.",
    },
    SET_PASSWORD: {
      description:
        "changePassword on an account without a password (made through a provider): a first password is a lasting way in, so it always needs a recent step-up; an account with nothing to step up with binds an email or phone first and steps up with it once it has cooled.",
    },
    BIND_CONTACT: { description: "startContactBinding and confirmContactBinding: bind or replace an email or phone." },
    UNBIND_CONTACT: { description: "startContactUnbinding and confirmContactUnbinding." },
    BIND_PROVIDER: { description: "startProviderBinding and completeProviderBinding: bind WeChat, QQ or Alipay." },
    UNBIND_PROVIDER: { description: "unbindProvider." },
    ENROLL_TOTP: { description: "startTotpEnrollment and confirmTotpEnrollment." },
    DISABLE_TOTP: { description: "disableTotp." },
    REGENERATE_RECOVERY_CODES: { description: "regenerateRecoveryCodes." },
    SET_TWO_STEP: { description: "setTwoStepVerification, on or off." },
    CREATE_API_KEY: { description: "createApiKey." },
    REVOKE_API_KEY: { description: "revokeApiKey." },
    START_REAL_NAME: { description: "startRealNameVerification." },
    REPLACE_CONTACT_AS_SUPPORT: {
      description:
        "adminReplaceContact (SUPPORT role): always needs a recent step-up of the agent's own session, even without second factors.",
    },
  },
});
