import type { DataSource } from "typeorm";
import { AccountEntity, IdentityEntity } from "../../entities";
import { normalizeEmail, normalizePhone } from "../contact/contact-address";
import { ContactKind } from "../contact/contact.types";
import { normalizeUsername } from "./username";

/** What a person typed to sign in, read as the one thing it can be. */
export type SignInName = { readonly kind: ContactKind; readonly subject: string } | { readonly kind: "USERNAME"; readonly subject: string };

/**
 * `@` makes it an email; something a phone parser accepts is a phone (usernames always contain a
 * letter, so they never are); anything else is a username. The subject is the normalised form, so
 * every spelling of one address shares one rate-limit budget.
 */
export function parseSignInName(identifier: string): SignInName {
  const trimmed = identifier.trim();
  if (trimmed.includes("@")) return { kind: ContactKind.EMAIL, subject: normalizeEmail(trimmed) ?? trimmed.toLowerCase() };
  const phone = normalizePhone(trimmed);
  if (phone) return { kind: ContactKind.PHONE, subject: phone };
  return { kind: "USERNAME", subject: normalizeUsername(trimmed) };
}

/** One indexed lookup: by username, or by a bound email/phone joined to its account. */
export function findAccountBySignInName(dataSource: DataSource, name: SignInName): Promise<AccountEntity | null> {
  if (name.kind === "USERNAME") return dataSource.getRepository(AccountEntity).findOneBy({ usernameNormalized: name.subject });
  return dataSource
    .getRepository(AccountEntity)
    .createQueryBuilder("account")
    .innerJoin(IdentityEntity, "identity", "identity.account_id = account.id")
    .where("identity.kind = :kind AND identity.subject = :subject", { kind: name.kind, subject: name.subject })
    .getOne();
}
