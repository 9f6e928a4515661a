import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection";
import { Account } from "../account/account.types";
import { IsEnum, IsUrl, MaxLength, MinLength } from "../../graphql/constraints";
import { LoginResult } from "../auth/auth.types";
import { PLAIN_FIELDS } from "../../graphql/plain-fields";
import { ProviderKind } from "../factors/vocabulary";

// Defined with the rest of the vocabulary (one module without imports, so no import cycle reaches it).
export { ProviderKind };

@ObjectType({ description: "A sign-in provider and whether this deployment has it configured." })
export class ProviderInfo {
  @Field(() => ID, { description: "The provider's name, e.g. WECHAT: one per deployment, and no other object's id." })
  id: string;

  @Field(() => ProviderKind, { description: "The provider." })
  kind: ProviderKind;

  @Field({ description: "True when its credentials are configured (or a dev stand-in serves it): show its button." })
  enabled: boolean;
}

@ObjectType({
  ...PLAIN_FIELDS,
  description: "A provider account bound to this account for signing in. One per provider, so provider identifies it within the account.",
})
export class LinkedIdentity {
  @Field(() => ID, {
    description: "`<account id>:wechat`, `:qq` or `:alipay`: the same in every query while bound, and again after binding anew.",
  })
  id: string;

  @Field(() => ProviderKind, { description: "Which provider." })
  provider: ProviderKind;

  @Field(() => String, { nullable: true, description: "The nickname the provider gave when it was bound; null when it gave none." })
  displayName: string | null;

  @Field(() => String, { nullable: true, description: "The picture the provider gave when it was bound; null when it gave none." })
  avatarUrl: string | null;

  @Field({ description: "When it was bound." })
  boundAt: Date;
}

@ObjectType({
  description:
    "The provider accounts bound for signing in, oldest first: a Relay connection in shape (so clients cache and read it like the account's other lists), always whole. An account binds at most one account of each provider, three in all, so it takes no page arguments.",
})
export class LinkedIdentityConnection extends ConnectionType(LinkedIdentity, {
  edge: "A bound provider account with its cursor.",
  cursor: "The provider's name: the connection is always whole, so the cursor only tells its edges apart.",
  node: "The bound provider account.",
  edges: "The bound provider accounts with their cursors, oldest first.",
  pageInfo: "Always one page: hasNextPage and hasPreviousPage are false.",
}) {
  @Field(() => Int, { description: "How many provider accounts are bound (0-3)." })
  totalCount: number;
}

@ObjectType({
  description: "Where to send the person to sign in at a provider (or to bind it), and the state to check when they come back.",
})
export class ProviderAuthorization {
  @Field(() => ProviderKind, { description: "The provider." })
  provider: ProviderKind;

  @Field({ description: "Send the browser here (WeChat/QQ) or show it as a QR code to scan in the app (Alipay)." })
  authorizeUrl: string;

  @Field({ description: "Keep it (e.g. in sessionStorage) and check the one that comes back with the code is the same." })
  state: string;

  @Field({ description: "The state is refused after this: start again." })
  expiresAt: Date;
}

// Both argument and (unlisted) input types, so each mutation's own input extends them.
@ArgsType()
@InputType()
export class ProviderArgs {
  @Field(() => ProviderKind, { description: "The provider; it must be enabled on this deployment (Query.providers)." })
  @IsEnum(ProviderKind)
  provider: ProviderKind;
}

@ArgsType()
@InputType()
export class StartProviderArgs extends ProviderArgs {
  @Field({ description: "Where the provider sends the browser back: this server's origin or one of REDIRECT_ORIGINS." })
  @MaxLength(2048, { message: "redirectUri must be at most 2048 characters" })
  @IsUrl(
    { protocols: ["http", "https"], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: "redirectUri must be an absolute http(s) URL" },
  )
  redirectUri: string;
}

@ArgsType()
@InputType()
export class CompleteProviderArgs extends ProviderArgs {
  @Field({ description: "The code the provider added to the redirect (Alipay: auth_code)." })
  @MinLength(1, { message: "code must not be empty" })
  @MaxLength(512, { message: "code is too long" })
  code: string;

  @Field({ description: "The state that came back with the code." })
  @MinLength(1, { message: "state must not be empty" })
  @MaxLength(128, { message: "state is too long" })
  state: string;
}

@InputType({ description: "Which provider to sign in with, and where it sends the browser back." })
export class StartProviderLoginInput extends StartProviderArgs {}

@ObjectType({ description: "What startProviderLogin returns." })
export class StartProviderLoginPayload {
  @Field(() => ProviderAuthorization, {
    description: "Where to send the browser (or the QR code to show), and the state to check on return.",
  })
  authorization: ProviderAuthorization;
}

@InputType({ description: "What the provider sent back to the redirectUri after startProviderLogin." })
export class LoginWithProviderInput extends CompleteProviderArgs {}

@ObjectType({ description: "What loginWithProvider returns." })
export class LoginWithProviderPayload {
  @Field(() => LoginResult, { description: "The session, or, with two-step verification on, the challenge to finish signing in with." })
  result: typeof LoginResult;
}

@InputType({ description: "Which provider startProviderBinding binds, and where it sends the browser back." })
export class StartProviderBindingInput extends StartProviderArgs {}

@ObjectType({ description: "What startProviderBinding started." })
export class StartProviderBindingPayload {
  @Field(() => ProviderAuthorization, { description: "Where to send the browser; finish with completeProviderBinding." })
  authorization: ProviderAuthorization;
}

@InputType({ description: "The provider, and the code and state it sent back to the redirect URI." })
export class CompleteProviderBindingInput extends CompleteProviderArgs {}

@ObjectType({ description: "What completeProviderBinding changed." })
export class CompleteProviderBindingPayload {
  @Field(() => LinkedIdentity, { description: "The provider account now bound." })
  identity: LinkedIdentity;

  @Field(() => Account, { description: "The account, whose identities (and capabilities, for Alipay) show the binding." })
  account: Account;
}

@InputType({ description: "Which provider unbindProvider unbinds." })
export class UnbindProviderInput extends ProviderArgs {}

@ObjectType({ description: "What unbindProvider changed." })
export class UnbindProviderPayload {
  @Field(() => ID, { description: "The id of the LinkedIdentity that was removed." })
  unboundIdentityId: string;

  @Field(() => Account, { description: "The account without the provider in its identities." })
  account: Account;
}
