import fs from "node:fs";
import path from "node:path";
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isUnionType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
let served: GraphQLSchema;
beforeAll(async () => {
  app = await startTestApp();
  served = buildClientSchema(await app.client.ok<IntrospectionQuery>(getIntrospectionQuery()));
});
afterAll(() => app.stop());

it("serves exactly the checked-in schema.graphql (run `npm run schema:emit` after changing resolvers)", () => {
  const checkedIn = fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8");
  expect(`${printSchema(lexicographicSortSchema(served))}\n`).toBe(checkedIn);
});

/**
 * Mutations issue 18 gave one input and one payload each, on purpose: their contract shapes are
 * retired with the contract itself (a test guarding schema.graphql replaces this one).
 */
const REPLACED_BY_PAYLOADS = [
  "register",
  "login",
  "logout",
  "sendTwoStepCode",
  "completeTwoStep",
  "requestStepUp",
  "completeStepUp",
  "changePassword",
  "requestPasswordReset",
  "resetPassword",
  "revokeSession",
  "startProviderLogin",
  "loginWithProvider",
  "updateProfile",
  "startContactBinding",
  "confirmContactBinding",
  "startContactUnbinding",
  "confirmContactUnbinding",
  "adminReplaceContact",
  "startProviderBinding",
  "completeProviderBinding",
  "unbindProvider",
  "startTotpEnrollment",
  "confirmTotpEnrollment",
  "disableTotp",
  "regenerateRecoveryCodes",
  "setTwoStepVerification",
  "createApiKey",
  "revokeApiKey",
  "startRealNameVerification",
  "refreshRealNameVerification",
];
/** Types the payloads replaced (CreateApiKeyPayload, StartRealNameVerificationInput). */
const RETIRED_TYPES = ["Type CreatedApiKey", "Type RealNameInput"];
const replacedByPayload = (difference: string) =>
  REPLACED_BY_PAYLOADS.some((name) => new RegExp(`^Mutation\\.${name}[:( ]`).test(difference));

/** Every name of the public contract is served, with the contract's exact shape. */
it("serves the whole public API contract, in its exact shapes", () => {
  const contract = buildSchema(fs.readFileSync(path.join(__dirname, "contract", "api-contract.graphql"), "utf8"));
  const missing: string[] = [];
  const different: string[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    const mine = served.getType(type.name);
    if (!mine) {
      missing.push(`Type ${type.name}`);
      continue;
    }
    if (mine.constructor !== type.constructor) different.push(`${type.name} is a different kind of type`);
    if ((isObjectType(type) && isObjectType(mine)) || (isInputObjectType(type) && isInputObjectType(mine))) {
      const mineFields = mine.getFields() as Record<
        string,
        { type: unknown; args?: readonly { name: string; type: unknown; defaultValue: unknown }[] }
      >;
      for (const field of Object.values(type.getFields()) as {
        name: string;
        type: unknown;
        args?: readonly { name: string; type: unknown; defaultValue: unknown }[];
      }[]) {
        const other = mineFields[field.name];
        if (!other) {
          missing.push(`${type.name}.${field.name}`);
          continue;
        }
        if (String(other.type) !== String(field.type)) different.push(`${type.name}.${field.name}: ${other.type} != ${field.type}`);
        for (const arg of field.args ?? []) {
          const otherArg = other.args?.find((a) => a.name === arg.name);
          if (!otherArg || String(otherArg.type) !== String(arg.type) || otherArg.defaultValue !== arg.defaultValue) {
            different.push(`${type.name}.${field.name}(${arg.name}: ${arg.type})`);
          }
        }
        // The served schema may add optional arguments only.
        for (const extra of other.args ?? []) {
          if (!field.args?.some((a) => a.name === extra.name) && String(extra.type).endsWith("!")) {
            different.push(`${type.name}.${field.name} adds required argument ${extra.name}`);
          }
        }
      }
    }
    if (isEnumType(type) && isEnumType(mine)) {
      const values = mine.getValues().map((v) => v.name);
      for (const value of type.getValues()) if (!values.includes(value.name)) missing.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && isUnionType(mine)) {
      const members = mine
        .getTypes()
        .map((t) => t.name)
        .sort();
      if (
        members.join() !==
        type
          .getTypes()
          .map((t) => t.name)
          .sort()
          .join()
      )
        different.push(`union ${type.name}`);
    }
  }
  expect(different.filter((difference) => !replacedByPayload(difference))).toEqual([]);
  expect(missing.filter((name) => !RETIRED_TYPES.includes(name))).toEqual([]);
});
