import { Arg, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { Clock } from "../../core/clock";
import { whenReady, type MaybePromise } from "../../core/maybe-promise";
import type { AccountEntity, IdentityKind } from "../../entities";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { accountPartId } from "../../graphql/account-part-id";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import { toChallenge } from "../challenge/to-challenge";
import {
  ConfirmContactBindingInput,
  ConfirmContactUnbindingInput,
  StartContactBindingInput,
  StartContactUnbindingInput,
} from "./contact.inputs";
import { ContactService, toContact } from "./contact.service";
import {
  ConfirmContactBindingPayload,
  ConfirmContactUnbindingPayload,
  Contact,
  ContactKind,
  StartContactBindingPayload,
  StartContactUnbindingPayload,
} from "./contact.types";

@Resolver(() => Account)
export class ContactResolver {
  constructor(
    private readonly contacts: ContactService,
    private readonly rows: AccountRowsCache,
    private readonly clock: Clock,
  ) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true, description: "The bound email address, masked; null when none is bound." })
  email(@Root() account: AccountEntity): MaybePromise<Contact | null> {
    return this.contactOf(account, ContactKind.EMAIL);
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true, description: "The bound mobile number, masked; null when none is bound." })
  phone(@Root() account: AccountEntity): MaybePromise<Contact | null> {
    return this.contactOf(account, ContactKind.PHONE);
  }

  /** The bound email or phone, masked, or null. */
  private contactOf(account: AccountEntity, kind: IdentityKind): MaybePromise<Contact | null> {
    return whenReady(this.rows.of(account), ({ identities }) => {
      const identity = identities.find((each) => each.kind === kind);
      return identity ? toContact(identity, this.clock.now()) : null;
    });
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => StartContactBindingPayload, {
    description:
      "Sends a code to the new address. Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED; a first address too), as does the confirmation. IDENTITY_TAKEN when another account has the address; RATE_LIMITED for codes sent too often.",
  })
  async startContactBinding(
    @Arg("input", { description: "The address to bind." }) { kind, address }: StartContactBindingInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<StartContactBindingPayload> {
    return { challenge: toChallenge(await this.contacts.startBinding(auth, kind, address, meta)) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => ConfirmContactBindingPayload, {
    description:
      "Binds the address with the code sent to it, replacing the one of its kind. Needs a recent step-up (STEP_UP_REQUIRED); CODE_INVALID or CODE_EXPIRED for a wrong or old code, IDENTITY_TAKEN when another account bound the address meanwhile.",
  })
  async confirmContactBinding(
    @Arg("input", { description: "The challenge and the code." }) { challengeId, code }: ConfirmContactBindingInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<ConfirmContactBindingPayload> {
    return this.contacts.confirmBinding(auth, challengeId, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => StartContactUnbindingPayload, {
    description:
      "Sends a code to the bound address before removing it. Needs a signed-in session with a recent step-up (STEP_UP_REQUIRED), as does the confirmation. LAST_SIGN_IN_METHOD when the address is the only way to sign in.",
  })
  async startContactUnbinding(
    @Arg("input", { description: "Which address to remove." }) { kind }: StartContactUnbindingInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<StartContactUnbindingPayload> {
    return { challenge: toChallenge(await this.contacts.startUnbinding(auth, kind, meta)) };
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => ConfirmContactUnbindingPayload, {
    description:
      "Removes the address with the code sent to it; two-step verification goes off when nothing else is left to verify with. Needs a recent step-up (STEP_UP_REQUIRED); CODE_INVALID or CODE_EXPIRED for a wrong or old code, LAST_SIGN_IN_METHOD when the address became the only way to sign in.",
  })
  async confirmContactUnbinding(
    @Arg("input", { description: "The challenge and the code." }) { challengeId, code }: ConfirmContactUnbindingInput,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<ConfirmContactUnbindingPayload> {
    const { account, kind } = await this.contacts.confirmUnbinding(auth, challengeId, code, meta);
    return { unboundContactId: accountPartId(account.id, kind), account };
  }
}
