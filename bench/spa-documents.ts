import fs from "node:fs";
import path from "node:path";

/** The repository's web/src, from this file whether it runs compiled (dist/bench, the bench) or from source (jest). */
function webSrc(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, "web/src");
  }
  throw new Error(`no package.json above ${__dirname}`);
}
const WEB_SRC = webSrc();

/** The SPA's source files (not the generated web/src/gql), relative to web/src. */
function sourceFiles(): string[] {
  return (fs.readdirSync(WEB_SRC, { recursive: true }) as string[]).filter((name) => /\.tsx?$/.test(name) && !name.startsWith("gql"));
}

/** Every `graphql(\`...\`)` template under web/src, or in one file of it. */
function templates(file?: string): string[] {
  return (file ? [file] : sourceFiles()).flatMap((each) =>
    [...fs.readFileSync(path.join(WEB_SRC, each), "utf8").matchAll(/graphql\(`([^`]*)`\)/g)].map((match) => match[1].trim()),
  );
}

export interface SpaOperation {
  /** The file under web/src that defines it. */
  readonly file: string;
  readonly kind: "query" | "mutation";
  readonly name: string;
}

/** Every operation the account center defines, so a test can require each one to be covered. */
export function spaOperations(): SpaOperation[] {
  return sourceFiles().flatMap((file) =>
    templates(file).flatMap((text) => {
      const match = /^(query|mutation)\s+(\w+)/.exec(text);
      return match ? [{ file, kind: match[1] as SpaOperation["kind"], name: match[2] }] : [];
    }),
  );
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
