import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  buildClientSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { renderErrorDocs } from "../src/scripts/error-docs";
import { startTestApp, type TestApp } from "./helpers/test-server";

import { isBreaking, schemaChanges } from "../scripts/schema-diff";

let app: TestApp;
let served: GraphQLSchema;
beforeAll(async () => {
  app = await startTestApp();
  served = buildClientSchema(await app.client.ok<IntrospectionQuery>(getIntrospectionQuery({ specifiedByUrl: true })));
});
afterAll(() => app.stop());

it("serves exactly the checked-in schema.graphql (run `npm run schema:emit` after changing resolvers)", () => {
  const checkedIn = fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8");
  expect(`${printSchema(lexicographicSortSchema(served))}\n`).toBe(checkedIn);
});

it("documents every error code in docs/errors.md, generated from the served ErrorCode and FieldErrorCode enums", () => {
  const page = fs.readFileSync(path.join(__dirname, "..", "docs", "errors.md"), "utf8");
  expect(page).toBe(renderErrorDocs(lexicographicSortSchema(served)));
});

describe("the schema-diff check against schema.released.graphql, the last announced API", () => {
  it("finds no breaking change in schema.graphql (announce one by updating schema.released.graphql, see docs/api-changelog.md)", async () => {
    expect((await schemaChanges()).filter(isBreaking)).toEqual([]);
  });

  it("fails on a removed field, a narrowed type and a new required argument, and lets an added field pass", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-diff-"));
    const write = (name: string, sdl: string) => {
      fs.writeFileSync(path.join(dir, name), sdl);
      return path.join(dir, name);
    };
    const released = write("released.graphql", "type Query { a: String, b(x: Int): Int, c: String! }");
    const breaking = write("breaking.graphql", "type Query { b(x: Int, y: Int!): Int, c: Int! }");
    const compatible = write("compatible.graphql", "type Query { a: String, b(x: Int): Int, c: String!, d: Int }");
    expect((await schemaChanges(released, breaking)).filter(isBreaking).map((change) => change.message)).toEqual([
      "Field 'a' was removed from object type 'Query'",
      "Argument 'y: Int!' added to field 'Query.b'",
      expect.stringContaining("'Query.c' changed type"),
    ]);
    expect((await schemaChanges(released, compatible)).filter(isBreaking)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
