import fs from "node:fs";
import path from "node:path";
import { buildSchema, isEnumType, type GraphQLSchema } from "graphql";

/** The checked-in schema.graphql: the API's contract (tests/schema.test.ts keeps it equal to what the server serves). */
export function publishedSchema(): GraphQLSchema {
  return buildSchema(fs.readFileSync(path.join(__dirname, "..", "..", "schema.graphql"), "utf8"));
}

/** The values of one of the published schema's enums, e.g. `ErrorCode`. */
export function publishedEnum(name: string, schema: GraphQLSchema = publishedSchema()): string[] {
  const type = schema.getType(name);
  if (!isEnumType(type)) throw new Error(`schema.graphql has no enum ${name}`);
  return type.getValues().map((value) => value.name);
}
