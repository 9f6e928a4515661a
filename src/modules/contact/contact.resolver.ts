import { Args, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { Clock } from "../../core/clock";
import type { AccountEntity, IdentityKind } from "../../entities";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { AccountRowsCache } from "../account/account-rows";
import { Account } from "../account/account.types";
import { ConfirmChallengeArgs } from "../challenge/challenge.args";
import { Challenge } from "../challenge/challenge.types";
import { toChallenge } from "../challenge/to-challenge";
import { ContactAddressArgs, ContactKindArgs } from "./contact.args";
import { ContactService, toContact } from "./contact.service";
import { Contact } from "./contact.types";

@Resolver(() => Account)
export class ContactResolver {
  constructor(
    private readonly contacts: ContactService,
    private readonly rows: AccountRowsCache,
    private readonly clock: Clock,
  ) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true })
  email(@Root() account: AccountEntity): Promise<Contact | null> {
    return this.contactOf(account, "EMAIL");
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true })
  phone(@Root() account: AccountEntity): Promise<Contact | null> {
    return this.contactOf(account, "PHONE");
  }

  /** The bound email or phone, masked, or null. */
  private async contactOf(account: AccountEntity, kind: IdentityKind): Promise<Contact | null> {
    const identity = (await this.rows.of(account)).identities.find((each) => each.kind === kind);
    return identity ? toContact(identity, this.clock.now()) : null;
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Challenge, {
    description: "Sends a code to the new address. Needs a recent step-up (a first address too), as does the confirmation.",
  })
  async startContactBinding(
    @Args() { kind, address }: ContactAddressArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<Challenge> {
    return toChallenge(await this.contacts.startBinding(auth, kind, address, meta));
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account)
  confirmContactBinding(
    @Args() { challengeId, code }: ConfirmChallengeArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.contacts.confirmBinding(auth, challengeId, code, meta);
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Challenge, { description: "Sends a code to the bound address. Needs a recent step-up, as does the confirmation." })
  async startContactUnbinding(
    @Args() { kind }: ContactKindArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<Challenge> {
    return toChallenge(await this.contacts.startUnbinding(auth, kind, meta));
  }

  @Authorized(SESSION_ONLY)
  @Mutation(() => Account)
  confirmContactUnbinding(
    @Args() { challengeId, code }: ConfirmChallengeArgs,
    @CurrentAuth() auth: Authenticated,
    @Meta() meta: RequestMeta,
  ): Promise<AccountEntity> {
    return this.contacts.confirmUnbinding(auth, challengeId, code, meta);
  }
}
