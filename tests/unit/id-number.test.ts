import { checkCharacter, idNumberProblem, LEGAL_NAME_PATTERN, maskIdNumber, maskName } from "../../src/modules/real-name/id-number";

const clock = { now: () => new Date("2026-11-23T00:00:00Z") };

describe("GB 11643 ID numbers", () => {
  it.each(["11010519491231002X", "360426199101010071", "44011320141005001X", "110102199101010078"])(
    "accepts the published valid number %s",
    (number) => {
      expect(idNumberProblem(number, clock)).toBeNull();
      expect(checkCharacter(number.slice(0, 17))).toBe(number[17]);
    },
  );

  it("accepts a lower-case x as the check character", () => {
    expect(idNumberProblem("11010519491231002x", clock)).toBeNull();
  });

  it.each([
    ["110105194912310021", "idNumber's check character is wrong; check the number for a typo"],
    ["36042619910102009X", "idNumber's check character is wrong; check the number for a typo"],
    ["110105194902300021", "idNumber has an impossible birth date"],
    ["110105189912310021", "idNumber has an impossible birth date"],
    ["110105203001010021", "idNumber has a birth date in the future"],
    ["110105491231002", "15-digit ID numbers are no longer accepted; use the 18-character number on your current ID card"],
    ["11010519491231002", "idNumber must be 18 characters: 17 digits and a digit or X"],
    ["1101051949123100２X", "idNumber must be 18 characters: 17 digits and a digit or X"],
    ["11010519491231002Y", "idNumber must be 18 characters: 17 digits and a digit or X"],
  ])("refuses %s", (number, problem) => {
    expect(idNumberProblem(number, clock)).toBe(problem);
  });

  it("refuses a birth date of tomorrow but accepts today's", () => {
    const first17 = "11010520261124002";
    expect(idNumberProblem(first17 + checkCharacter(first17), clock)).toBe("idNumber has a birth date in the future");
    const today = "11010520261123002";
    expect(idNumberProblem(today + checkCharacter(today), clock)).toBeNull();
  });

  it("masks all but the first and last four characters", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("1101**********002X");
  });
});

describe("legal names", () => {
  it.each(["张三", "欧阳娜娜", "阿卜杜·热合曼", "Mary Smith", "买买提·吐尔逊"])("accepts %s", (name) => {
    expect(LEGAL_NAME_PATTERN.test(name)).toBe(true);
  });

  it.each(["张", "张三3", "张 ", "·张三", "张三·", "张··三", "a".repeat(31), "张三\u200B", "<b>张三</b>", ""])("refuses %j", (name) => {
    expect(LEGAL_NAME_PATTERN.test(name)).toBe(false);
  });

  it("masks all but the first character", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳娜娜")).toBe("欧***");
  });
});
