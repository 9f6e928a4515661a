import type { ChallengeEntity, ChallengePurpose } from "../../entities";
import type { ContactKind } from "../contact/contact.types";
import { isContactKind, isFirstFactor, type FirstFactor } from "../factors/vocabulary";

/**
 * What a challenge's confirmation acts on, one record type per purpose. Stored as a JSON object in
 * challenges.payload (the fields besides the purpose; none is stored as null), and checked against
 * its purpose's shape when read, so a row that does not hold what its purpose needs is never acted on.
 */
export type ChallengeData =
  | { readonly purpose: "BIND_CONTACT"; readonly kind: ContactKind; readonly address: string }
  | { readonly purpose: "UNBIND_CONTACT"; readonly kind: ContactKind }
  | { readonly purpose: "STEP_UP" }
  | { readonly purpose: "PASSWORD_RESET" }
  /** The second step of a sign-in that `firstFactor` began. */
  | { readonly purpose: "TWO_STEP"; readonly firstFactor: FirstFactor };

export type DataOf<P extends ChallengePurpose> = Extract<ChallengeData, { purpose: P }>;

type Fields = Readonly<Record<string, unknown>>;

/** Each purpose's fields, or null when the stored object does not have them. */
const READERS: { readonly [P in ChallengePurpose]: (fields: Fields) => Omit<DataOf<P>, "purpose"> | null } = {
  BIND_CONTACT: ({ kind, address }) => (isContactKind(kind) && typeof address === "string" ? { kind, address } : null),
  UNBIND_CONTACT: ({ kind }) => (isContactKind(kind) ? { kind } : null),
  STEP_UP: () => ({}),
  PASSWORD_RESET: () => ({}),
  TWO_STEP: ({ firstFactor }) => (isFirstFactor(firstFactor) ? { firstFactor } : null),
};

/** The payload column for a record: its fields as JSON, or null when its purpose has none. */
export function encodeChallengeData(data: ChallengeData): string | null {
  const fields = Object.entries(data).filter(([key]) => key !== "purpose");
  return fields.length > 0 ? JSON.stringify(Object.fromEntries(fields)) : null;
}

/** The record of a challenge already known to be of `purpose`; throws when the row does not hold one. */
export function readChallengeData<P extends ChallengePurpose>(challenge: ChallengeEntity, purpose: P): DataOf<P> {
  const stored: unknown = challenge.purpose === purpose ? JSON.parse(challenge.payload ?? "{}") : null;
  const fields = typeof stored === "object" && stored !== null ? READERS[purpose](stored as Fields) : null;
  if (!fields) throw new Error(`challenge ${challenge.id} holds no ${purpose} record`);
  return { purpose, ...fields } as DataOf<P>;
}
