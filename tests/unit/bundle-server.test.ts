import vm from "node:vm";

// The plain-JS build step of `npm run build:server`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS without types: required with its type
const { escapeNonAscii } = require("../../scripts/bundle-server.js") as { escapeNonAscii: (code: string) => string };

describe("the server bundle's ASCII-only source", () => {
  // What esbuild left unescaped in the bundle: characters in regular expressions (one of ours, one of a library's).
  const code = String.raw`[
    /验签字符串.*$/s.test("x 验签字符串 y"),
    /^[‘“!^<>]+$/.test("‘“"),
    /^\p{Emoji}$/u.test("😀"),
    "名字 😀",
    ${"`"}°${"`"},
  ]`;

  it("is ASCII and means what the source meant: strings, templates and regular expressions alike", () => {
    const escaped = escapeNonAscii(code);
    expect(escaped).toMatch(/^[\x20-\x7e\n]*$/);
    expect(vm.runInNewContext(escaped)).toEqual(vm.runInNewContext(code));
    expect(vm.runInNewContext(escaped)).toEqual([true, true, true, "名字 😀", "°"]);
  });
});
