import { grantRole } from "../src/modules/admin/admin.service";
import { checkCharacter } from "../src/modules/real-name/id-number";
import { registerSteppedUp, uniqueUsername, type RegisteredUser } from "./helpers/accounts";
import { bindContact, codeSentTo, sentCount, START_UNBINDING, uniqueEmail, uniquePhone } from "./helpers/contacts";
import type { GraphQLClient } from "./helpers/graphql-client";
import { codeNow } from "./helpers/second-factors";
import { callbackUrl, consent } from "./helpers/social";
import { startTestApp, type TestApp } from "./helpers/test-server";

/**
 * What a normalised cache (Apollo Client, urql's graphcache) needs: every object of the account has
 * an id that is the same in every query and in every mutation's payload, and every payload carries
 * what changed, so the cache shows the right data without being told.
 */

const IDS = /* GraphQL */ `
  query {
    me {
      id
      security {
        id
      }
      capabilities {
        id
      }
      realName {
        id
      }
      email {
        id
      }
      phone {
        id
      }
      identities {
        nodes {
          id
          provider
        }
      }
    }
  }
`;
const CONFIRM_BINDING = /* GraphQL */ `
  mutation ($input: ConfirmContactBindingInput!) {
    confirmContactBinding(input: $input) {
      contact {
        id
        kind
        masked
      }
      account {
        id
        email {
          id
          masked
        }
        security {
          id
          twoStepMethods
        }
      }
    }
  }
`;
const START_BINDING = `mutation($input: StartContactBindingInput!) { startContactBinding(input: $input) { challenge { id maskedTarget } } }`;
const CONFIRM_UNBINDING = /* GraphQL */ `
  mutation ($input: ConfirmContactUnbindingInput!) {
    confirmContactUnbinding(input: $input) {
      unboundContactId
      account {
        id
        email {
          id
        }
        security {
          id
          twoStepEnabled
        }
      }
    }
  }
`;
const START_PROVIDER = `mutation($input: StartProviderBindingInput!) { startProviderBinding(input: $input) { authorization { authorizeUrl state } } }`;
const COMPLETE_PROVIDER = /* GraphQL */ `
  mutation ($input: CompleteProviderBindingInput!) {
    completeProviderBinding(input: $input) {
      identity {
        id
        provider
      }
      account {
        id
        identities {
          nodes {
            id
          }
        }
        capabilities {
          id
          canWithdraw
        }
      }
    }
  }
`;
const UNBIND_PROVIDER = /* GraphQL */ `
  mutation ($input: UnbindProviderInput!) {
    unbindProvider(input: $input) {
      unboundIdentityId
      account {
        id
        identities {
          nodes {
            id
          }
        }
        capabilities {
          id
          canWithdraw
        }
      }
    }
  }
`;
const START_TOTP = `mutation { startTotpEnrollment { enrollment { secret } } }`;
const CONFIRM_TOTP = /* GraphQL */ `
  mutation ($input: ConfirmTotpEnrollmentInput!) {
    confirmTotpEnrollment(input: $input) {
      recoveryCodes
      account {
        id
        security {
          id
          totpEnabled
          recoveryCodesRemaining
        }
      }
    }
  }
`;
const REGENERATE = `mutation { regenerateRecoveryCodes { recoveryCodes account { id security { id recoveryCodesRemaining } } } }`;
const DISABLE_TOTP = `mutation($input: DisableTotpInput!) { disableTotp(input: $input) { account { id security { id totpEnabled recoveryCodesRemaining } } } }`;
const SET_TWO_STEP = `mutation($input: SetTwoStepVerificationInput!) { setTwoStepVerification(input: $input) { account { id security { id twoStepEnabled } } } }`;
const UPDATE_PROFILE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id username avatarUrl } } }`;
const START_REAL_NAME = /* GraphQL */ `
  mutation ($input: StartRealNameVerificationInput!) {
    startRealNameVerification(input: $input) {
      realName {
        id
        status
        verifyUrl
      }
      account {
        id
        realName {
          id
          status
        }
      }
    }
  }
`;
const REFRESH_REAL_NAME = /* GraphQL */ `
  mutation {
    refreshRealNameVerification {
      realName {
        id
        status
      }
      account {
        id
        capabilities {
          id
          canPurchase
        }
      }
    }
  }
`;
const REPLACE = /* GraphQL */ `
  mutation ($input: AdminReplaceContactInput!) {
    adminReplaceContact(input: $input) {
      contact {
        id
        masked
      }
      account {
        id
        email {
          id
          masked
        }
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ REAL_NAME_PENDING_TIMEOUT_SECONDS: "1800" });
});
afterAll(() => app.stop());

async function ids(client: GraphQLClient) {
  return (await client.ok(IDS)).me;
}

async function bindEmailFor(user: RegisteredUser, email = uniqueEmail("payload")) {
  await bindContact(app, user.client, "EMAIL", email);
  return email;
}

describe("ids", () => {
  it("are the same in every query, differ between types and between accounts, and are never the account's own", async () => {
    const user = await registerSteppedUp(app.client);
    await bindEmailFor(user);
    await bindContact(app, user.client, "PHONE", uniquePhone());
    const first = await ids(user.client);
    expect(await ids(user.client)).toEqual(first);

    const own = [first.security.id, first.capabilities.id, first.realName.id, first.email.id, first.phone.id];
    expect(new Set([first.id, ...own]).size).toBe(6);
    const other = await ids((await registerSteppedUp(app.client)).client);
    for (const id of [other.security.id, other.capabilities.id, other.realName.id]) expect(own).not.toContain(id);
  });

  it("keep the email's id when the address is replaced", async () => {
    const user = await registerSteppedUp(app.client);
    await bindEmailFor(user);
    const before = (await ids(user.client)).email.id;
    await bindEmailFor(user);
    expect((await ids(user.client)).email.id).toBe(before);
  });

  it("name each provider binding apart, and ProviderInfo by its provider", async () => {
    const user = await registerSteppedUp(app.client);
    for (const provider of ["WECHAT", "QQ"]) {
      const { startProviderBinding } = await user.client.ok(START_PROVIDER, { input: { provider, redirectUri: callbackUrl(app) } });
      const { code, state } = await consent(startProviderBinding.authorization.authorizeUrl, uniqueUsername(provider.toLowerCase()));
      await user.client.ok(COMPLETE_PROVIDER, { input: { provider, code, state } });
    }
    const { identities } = await ids(user.client);
    expect(new Set(identities.nodes.map((i: { id: string }) => i.id)).size).toBe(2);
    expect((await ids(user.client)).identities).toEqual(identities);
    const { providers } = await app.client.ok(`{ providers { id kind } }`);
    for (const { id, kind } of providers) expect(id).toBe(kind);
  });
});

describe("contact payloads", () => {
  it("confirmContactBinding returns the new contact, with the id the account's email has in queries", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail("bind");
    const seen = sentCount(app, "EMAIL", email);
    const { startContactBinding } = await user.client.ok(START_BINDING, { input: { kind: "EMAIL", address: email } });
    const code = await codeSentTo(app, "EMAIL", email, seen);
    const { confirmContactBinding } = await user.client.ok(CONFIRM_BINDING, {
      input: { challengeId: startContactBinding.challenge.id, code },
    });
    expect(confirmContactBinding.contact).toMatchObject({ kind: "EMAIL", masked: startContactBinding.challenge.maskedTarget });
    expect(confirmContactBinding.account.email).toEqual({
      id: confirmContactBinding.contact.id,
      masked: confirmContactBinding.contact.masked,
    });
    expect(confirmContactBinding.account.security.twoStepMethods).toContain("EMAIL");
    const now = await ids(user.client);
    expect(now.email.id).toBe(confirmContactBinding.contact.id);
    expect(confirmContactBinding.account.security.id).toBe(now.security.id);
  });

  it("confirmContactUnbinding returns the removed contact's id and the account without it", async () => {
    const user = await registerSteppedUp(app.client);
    const email = await bindEmailFor(user);
    await user.client.ok(SET_TWO_STEP, { input: { enabled: true } });
    const { email: bound } = await ids(user.client);
    const seen = sentCount(app, "EMAIL", email);
    const { startContactUnbinding } = await user.client.ok(START_UNBINDING, { kind: "EMAIL" });
    const code = await codeSentTo(app, "EMAIL", email, seen);
    const { confirmContactUnbinding } = await user.client.ok(CONFIRM_UNBINDING, {
      input: { challengeId: startContactUnbinding.challenge.id, code },
    });
    expect(confirmContactUnbinding).toEqual({
      unboundContactId: bound.id,
      account: { id: user.id, email: null, security: { id: (await ids(user.client)).security.id, twoStepEnabled: false } },
    });
  });

  it("adminReplaceContact returns the new contact under the id the user's own queries show", async () => {
    const supportUser = await registerSteppedUp(app.client, uniqueUsername("support"));
    await grantRole(app.dataSource, supportUser.username, "SUPPORT");
    const user = await registerSteppedUp(app.client);
    await bindEmailFor(user);
    const { email: before } = await ids(user.client);
    const address = uniqueEmail("replaced");
    const { adminReplaceContact } = await supportUser.client.ok(REPLACE, {
      input: { accountId: user.id, kind: "EMAIL", address, reason: "ticket #1: checked by video call" },
    });
    expect(adminReplaceContact.contact.id).toBe(before.id);
    expect(adminReplaceContact.account).toEqual({ id: user.id, email: adminReplaceContact.contact });
    expect((await ids(user.client)).email.id).toBe(before.id);
  });
});

describe("provider payloads", () => {
  it("completeProviderBinding returns the identity and the account listing it; unbindProvider its id and the account without it", async () => {
    const user = await registerSteppedUp(app.client);
    const { startProviderBinding } = await user.client.ok(START_PROVIDER, { input: { provider: "ALIPAY", redirectUri: callbackUrl(app) } });
    const { code, state } = await consent(startProviderBinding.authorization.authorizeUrl, uniqueUsername("ali"));
    const { completeProviderBinding } = await user.client.ok(COMPLETE_PROVIDER, { input: { provider: "ALIPAY", code, state } });
    const { identity, account } = completeProviderBinding;
    expect(identity.provider).toBe("ALIPAY");
    expect(account.identities.nodes).toEqual([{ id: identity.id }]);
    expect(account.capabilities.canWithdraw).toBe(true);
    expect((await ids(user.client)).identities.nodes).toEqual([{ id: identity.id, provider: "ALIPAY" }]);

    const { unbindProvider } = await user.client.ok(UNBIND_PROVIDER, { input: { provider: "ALIPAY" } });
    expect(unbindProvider).toEqual({
      unboundIdentityId: identity.id,
      account: { id: user.id, identities: { nodes: [] }, capabilities: { id: account.capabilities.id, canWithdraw: false } },
    });
  });
});

describe("authenticator payloads", () => {
  it("return the recovery codes with the account whose security counts them, and the account without the app", async () => {
    const user = await registerSteppedUp(app.client);
    const { security } = await ids(user.client);
    const { startTotpEnrollment } = await user.client.ok(START_TOTP);
    const { secret } = startTotpEnrollment.enrollment;
    const { confirmTotpEnrollment } = await user.client.ok(CONFIRM_TOTP, { input: { code: codeNow(app, secret) } });
    expect(confirmTotpEnrollment.recoveryCodes).toHaveLength(10);
    expect(confirmTotpEnrollment.account).toEqual({
      id: user.id,
      security: { id: security.id, totpEnabled: true, recoveryCodesRemaining: 10 },
    });

    const { regenerateRecoveryCodes } = await user.client.ok(REGENERATE);
    expect(regenerateRecoveryCodes.recoveryCodes).toHaveLength(10);
    expect(regenerateRecoveryCodes.recoveryCodes).not.toEqual(confirmTotpEnrollment.recoveryCodes);
    expect(regenerateRecoveryCodes.account.security).toEqual({ id: security.id, recoveryCodesRemaining: 10 });

    app.clock.advanceSeconds(30);
    const { disableTotp } = await user.client.ok(DISABLE_TOTP, { input: { code: codeNow(app, secret) } });
    expect(disableTotp.account.security).toEqual({ id: security.id, totpEnabled: false, recoveryCodesRemaining: 0 });
  });
});

describe("setting and profile payloads", () => {
  it("setTwoStepVerification and updateProfile return the account as it is now", async () => {
    const user = await registerSteppedUp(app.client);
    await bindEmailFor(user);
    const { security } = await ids(user.client);
    expect((await user.client.ok(SET_TWO_STEP, { input: { enabled: true } })).setTwoStepVerification.account).toEqual({
      id: user.id,
      security: { id: security.id, twoStepEnabled: true },
    });
    const username = uniqueUsername("renamed");
    expect((await user.client.ok(UPDATE_PROFILE, { input: { username } })).updateProfile.account).toEqual({
      id: user.id,
      username,
      avatarUrl: null,
    });
  });

  it("the real-name mutations return the verification under the id the account's realName has", async () => {
    const user = await registerSteppedUp(app.client);
    const { realName, capabilities } = await ids(user.client);
    const first17 = "11010519900307123";
    const { startRealNameVerification } = await user.client.ok(START_REAL_NAME, {
      input: { legalName: "张三", idNumber: first17 + checkCharacter(first17) },
    });
    expect(startRealNameVerification.realName).toMatchObject({ id: realName.id, status: "PENDING" });
    expect(startRealNameVerification.account.realName).toEqual({ id: realName.id, status: "PENDING" });

    expect((await fetch(startRealNameVerification.realName.verifyUrl)).ok).toBe(true);
    expect((await user.client.ok(REFRESH_REAL_NAME)).refreshRealNameVerification).toEqual({
      realName: { id: realName.id, status: "PASSED" },
      account: { id: user.id, capabilities: { id: capabilities.id, canPurchase: true } },
    });
  });
});
