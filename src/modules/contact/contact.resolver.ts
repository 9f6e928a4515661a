import { Args, Authorized, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { AccountEntity } from "../../entities";
import type { Authenticated, RequestMeta } from "../../graphql/context";
import { SESSION_ONLY } from "../../graphql/auth-checker";
import { CurrentAuth, Meta } from "../../graphql/current";
import { FIELD_COST } from "../../graphql/query-limits";
import { Account } from "../account/account.types";
import { ConfirmChallengeArgs } from "../challenge/challenge.args";
import { Challenge } from "../challenge/challenge.types";
import { toChallenge } from "../challenge/to-challenge";
import { ContactAddressArgs, ContactKindArgs } from "./contact.args";
import { ContactService } from "./contact.service";
import { Contact, ContactKind } from "./contact.types";

@Resolver(() => Account)
export class ContactResolver {
  constructor(private readonly contacts: ContactService) {}

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true, description: "The bound email address, masked; null when none is bound." })
  email(@Root() account: AccountEntity): Promise<Contact | null> {
    return this.contacts.contactOf(account.id, ContactKind.EMAIL);
  }

  @Extensions(FIELD_COST.reads(1))
  @FieldResolver(() => Contact, { nullable: true, description: "The bound mobile number, masked; null when none is bound." })
  phone(@Root() account: AccountEntity): Promise<Contact | null> {
    return this.contacts.contactOf(account.id, ContactKind.PHONE);
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
