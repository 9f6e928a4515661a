import type { ChallengeEntity } from "../../src/entities";
import { ContactKind } from "../../src/modules/contact/contact.types";
import { ProviderKind } from "../../src/modules/social/social.types";
import { encodeChallengeData, readChallengeData, type ChallengeData } from "../../src/modules/challenge/challenge-data";

const row = (purpose: ChallengeEntity["purpose"], payload: string | null) => ({ id: "c1", purpose, payload }) as ChallengeEntity;

describe("challenge records", () => {
  it.each<ChallengeData>([
    { purpose: "BIND_CONTACT", kind: ContactKind.EMAIL, address: "a@example.com" },
    { purpose: "UNBIND_CONTACT", kind: ContactKind.PHONE },
    { purpose: "STEP_UP" },
    { purpose: "PASSWORD_RESET" },
    { purpose: "TWO_STEP", firstFactor: ProviderKind.ALIPAY },
  ])("reads back what was stored for $purpose", (data) => {
    expect(readChallengeData(row(data.purpose, encodeChallengeData(data)), data.purpose)).toEqual(data);
  });

  it("stores nothing for a purpose without fields", () => {
    expect(encodeChallengeData({ purpose: "STEP_UP" })).toBeNull();
  });

  it.each([
    ["another purpose's row", row("UNBIND_CONTACT", JSON.stringify({ kind: "EMAIL" })), "BIND_CONTACT"],
    ["a missing field", row("BIND_CONTACT", JSON.stringify({ kind: "EMAIL" })), "BIND_CONTACT"],
    ["a value outside its enum", row("UNBIND_CONTACT", JSON.stringify({ kind: "FAX" })), "UNBIND_CONTACT"],
    ["a first factor that is not one", row("TWO_STEP", JSON.stringify({ firstFactor: "TOTP" })), "TWO_STEP"],
    ["no object at all", row("TWO_STEP", "null"), "TWO_STEP"],
  ] as const)("refuses %s", (_, challenge, purpose) => {
    expect(() => readChallengeData(challenge, purpose)).toThrow(`challenge c1 holds no ${purpose} record`);
  });
});
