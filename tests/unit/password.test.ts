import bcrypt from "bcrypt";
import { PasswordHasher } from "../../src/modules/password/password-hasher";
import { passwordProblem } from "../../src/modules/password/password-policy";

describe("passwordProblem", () => {
  it.each([
    ["correct horse battery staple", null],
    ["我的密码非常安全", null],
    ["7chars!", { code: "TOO_SHORT", params: { min: 8 }, message: "password must be 8 to 128 characters long" }],
    ["x".repeat(64) + "y".repeat(65), { code: "TOO_LONG", params: { max: 128 }, message: "password must be 8 to 128 characters long" }],
    ["🔒".repeat(8), { code: "PASSWORD_TOO_COMMON", message: "password is too common; choose one that is harder to guess" }],
    ["🔒🔑".repeat(4), null],
    ["QWERTYUIOP", { code: "PASSWORD_TOO_COMMON", message: "password is too common; choose one that is harder to guess" }],
    ["5201314520", { code: "PASSWORD_TOO_COMMON", message: "password is too common; choose one that is harder to guess" }],
  ])("%s", (password, problem) => {
    expect(passwordProblem(password)).toEqual(problem);
  });

  it("counts characters, not UTF-16 units: 128 emoji are allowed", () => {
    expect(passwordProblem("😀🙂".repeat(64))).toBeNull();
  });

  it("refuses a password containing the username in any case", () => {
    expect(passwordProblem("my-Alice-2026!", "alice")).toEqual({
      code: "PASSWORD_CONTAINS_USERNAME",
      message: "password must not contain the username",
    });
  });
});

describe("PasswordHasher", () => {
  const hasher = new PasswordHasher(4);

  it("verifies what it hashed and nothing else", async () => {
    const hash = await hasher.hash("correct horse battery staple");
    expect(await hasher.verify("correct horse battery staple", hash)).toBe(true);
    expect(await hasher.verify("correct horse battery stapler", hash)).toBe(false);
  });

  it("does the same bcrypt work for an account without a hash, so timing does not reveal it", async () => {
    const compare = jest.spyOn(bcrypt, "compare");
    try {
      expect(await hasher.verify("anything-at-all", null)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
      const [, hashUsed] = compare.mock.calls[0] as unknown as [string, string];
      expect(bcrypt.getRounds(hashUsed)).toBe(4);
    } finally {
      compare.mockRestore();
    }
  });

  it("compares a hash made at a lower cost beside one at the current cost, so timing does not tell an old account from none", async () => {
    const old = await new PasswordHasher(4).hash("correct horse battery staple");
    const current = new PasswordHasher(5);
    const compare = jest.spyOn(bcrypt, "compare");
    try {
      expect(await current.verify("correct horse battery staple", old)).toBe(true);
      expect(await current.verify("wrong horse battery staple", old)).toBe(false);
      const rounds = compare.mock.calls.map((call) => bcrypt.getRounds((call as unknown as [string, string])[1]));
      expect(rounds.sort()).toEqual([4, 4, 5, 5]);
      compare.mockClear();
      // At the current cost, one comparison is all it takes.
      expect(await current.verify("x-y-z-w-v-u", await current.hash("x-y-z-w-v-u"))).toBe(true);
      expect(compare).toHaveBeenCalledTimes(1);
    } finally {
      compare.mockRestore();
    }
  });

  it("asks for a rehash when the cost changed", async () => {
    const old = await new PasswordHasher(5).hash("correct horse battery staple");
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash("x-y-z-w-v-u"))).toBe(false);
  });
});
