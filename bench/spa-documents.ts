import fs from "node:fs";
import path from "node:path";

/**
 * The text of the account center's own operation `name`, read from `file` under web/src (the
 * `graphql(\`...\`)` template that defines it), so the bench sends what the SPA sends, as it changes.
 */
export function spaDocument(file: string, name: string): string {
  const source = fs.readFileSync(path.resolve(__dirname, "../../web/src", file), "utf8");
  const found = [...source.matchAll(/graphql\(`([^`]*)`\)/g)]
    .map((match) => match[1].trim())
    .find((text) => new RegExp(`^(query|mutation)\\s+${name}\\b`).test(text));
  if (!found) throw new Error(`web/src/${file} defines no operation ${name}`);
  if (/\.\.\.\s*[A-Za-z_]/.test(found.replace(/\.\.\.\s*on\s/g, ""))) {
    throw new Error(`${name} in web/src/${file} spreads a fragment, which the bench does not read yet`);
  }
  return found;
}
