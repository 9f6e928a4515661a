import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { buildAppSchema } from "../schema";
import { renderErrorDocs } from "./error-docs";

/**
 * Writes schema.graphql from the resolvers, and docs/errors.md from its error enums; tests fail when
 * the served schema differs from the file, or the page from the enums.
 */
async function emit(): Promise<void> {
  const schema = lexicographicSortSchema(await buildAppSchema());
  const root = path.resolve(__dirname, "../../..");
  for (const [file, text] of [
    ["schema.graphql", `${printSchema(schema)}\n`],
    ["docs/errors.md", renderErrorDocs(schema)],
  ]) {
    fs.writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}

void emit();
