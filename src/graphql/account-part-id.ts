import type { ContactKind } from "../modules/contact/contact.types";
import type { ProviderKind } from "../modules/social/social.types";

/** What an account has at most one of: its settings, and one address or provider account of each kind. */
export type AccountPart = "security" | "capabilities" | "real-name" | ContactKind | ProviderKind;

/**
 * The id of an object an account has at most one of (its security settings, its email, its WeChat
 * binding...): `<account id>:<part in lower case>`. The same object gets the same id in every query,
 * and no other object has it: row ids are bare UUIDs, and each part names one type.
 */
export function accountPartId(accountId: string, part: AccountPart): string {
  return `${accountId}:${part.toLowerCase()}`;
}
