import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { buildAppSchema } from "../schema";

/** Writes schema.graphql from the resolvers; a test fails when the served schema differs from the file. */
async function emit(): Promise<void> {
  const schema = await buildAppSchema();
  const file = path.resolve(__dirname, "../../../schema.graphql");
  fs.writeFileSync(file, `${printSchema(lexicographicSortSchema(schema))}\n`);
  console.log(`wrote ${file}`);
}

void emit();
