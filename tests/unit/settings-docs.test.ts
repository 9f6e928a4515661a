import fs from "node:fs";
import path from "node:path";
import { settingsTables, withSettingsTables } from "../../src/scripts/settings-docs";

describe("docs/configuration.md", () => {
  const file = fs.readFileSync(path.join(__dirname, "../../docs/configuration.md"), "utf8");

  it("holds the settings tables the definitions generate (npm run docs:settings writes them)", () => {
    expect(file).toBe(withSettingsTables(file));
  });

  it("lists every setting the server reads, once", () => {
    const names = [...settingsTables().matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(["DATABASE_URL", "SMTP_URL", "ALIYUN_SMS_TEMPLATE_CODE", "WECHAT_APP_ID", "IDENTITY_PROVIDER"]),
    );
    const readElsewhere = fs
      .readdirSync(path.join(__dirname, "../../src"), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [...fs.readFileSync(path.join(__dirname, "../../src", file), "utf8").matchAll(/process\.env\.([A-Z0-9_]+)/g)]);
    expect(readElsewhere.map((match) => match[1])).toEqual([]);
  });
});
