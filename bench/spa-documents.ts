import fs from "node:fs";
import path from "node:path";

/** web/src, from bench/ (the tests, through ts-jest) or from dist/bench/ (the built bench). */
const WEB_SRC =
  [path.resolve(__dirname, "../web/src"), path.resolve(__dirname, "../../web/src")].find((dir) => fs.existsSync(dir)) ??
  path.resolve(__dirname, "../../web/src");

/** Every `graphql(\`...\`)` template under web/src, by file. */
function templates(file?: string): string[] {
  const files = file
    ? [path.join(WEB_SRC, file)]
    : (fs.readdirSync(WEB_SRC, { recursive: true }) as string[])
        .filter((name) => /\.tsx?$/.test(name) && !name.startsWith("gql"))
        .map((name) => path.join(WEB_SRC, name));
  return files.flatMap((each) => [...fs.readFileSync(each, "utf8").matchAll(/graphql\(`([^`]*)`\)/g)].map((match) => match[1].trim()));
}

/**
 * The text of the account center's own operation `name`, read from `file` under web/src (the
 * `graphql(\`...\`)` template that defines it) with the fragments it spreads, wherever in web/src they
 * are defined, so the bench sends what the SPA sends, as it changes.
 */
export function spaDocument(file: string, name: string): string {
  const found = templates(file).find((text) => new RegExp(`^(query|mutation)\\s+${name}\\b`).test(text));
  if (!found) throw new Error(`web/src/${file} defines no operation ${name}`);
  const fragments = new Map(
    templates()
      .map((text) => [/^fragment\s+(\w+)\s+on\b/.exec(text)?.[1], text] as const)
      .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
  );
  const parts = [found];
  for (let i = 0; i < parts.length; i++) {
    for (const [, spread] of parts[i].matchAll(/\.\.\.\s*(?!on\s)(\w+)/g)) {
      const fragment = fragments.get(spread);
      if (!fragment) throw new Error(`${name} in web/src/${file} spreads ${spread}, which web/src does not define`);
      if (!parts.includes(fragment)) parts.push(fragment);
    }
  }
  return parts.join("\n");
}
