import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  OperationTypeNode,
  parse,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { spaDocument, spaOperations } from "../bench/spa-documents";
import { loadConfig } from "../src/config";
import { operationCost } from "../src/graphql/query-limits";
import { checkCharacter } from "../src/modules/real-name/id-number";
import { buildAppSchema } from "../src/schema";
import { registerSteppedUp } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const START_REAL_NAME = `mutation($input: StartRealNameVerificationInput!) { startRealNameVerification(input: $input) { realName { status } } }`;
const CREATE_KEY = `mutation { createApiKey(input: { name: "reader" }) { secret } }`;

/** `count` aliases of `field` inside `me`: one operation, many resolver calls. */
function aliasBomb(count: number, field: string): string {
  return `{ me { ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} } }`;
}

/** Every operation the account center sends, each with the fragments it spreads, as the SPA sends it. */
function accountCenterOperations(): { file: string; operation: OperationDefinitionNode; document: DocumentNode }[] {
  return spaOperations().map(({ file, name }) => {
    const document = parse(spaDocument(file, name));
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)!;
    return { file, operation, document };
  });
}

/** A value of the variable's type that the schema accepts, so the cost can be worked out. */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sampleValue(field.type)]),
    );
  }
  return { Int: 1, Float: 1, Boolean: true, DateTime: "2026-01-01T00:00:00.000Z" }[getNamedType(type).name] ?? "x";
}

describe("what an operation costs", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  it("lets every operation of the account center, with the fragments it spreads, through the default GRAPHQL_MAX_COST, with room to spare", () => {
    const { maxCost } = loadConfig({}).graphql;
    const operations = accountCenterOperations();
    expect(operations.length).toBeGreaterThan(20);
    for (const { file, operation, document } of operations) {
      const variables = Object.fromEntries(
        (operation.variableDefinitions ?? []).map((definition) => [
          definition.variable.name.value,
          sampleValue(getNullableType(typeFromAST(schema, definition.type as never)) as GraphQLInputType),
        ]),
      );
      const cost = operationCost(schema, document, operation, variables);
      // A mutation returns the page it changed (MeFields), so client caches need nothing else: it may
      // cost the page plus its own work, and still leaves a third of the limit.
      const room = operation.operation === OperationTypeNode.MUTATION ? (maxCost * 2) / 3 : maxCost / 2;
      expect({ operation: `${file}: ${operation.name?.value}`, fits: cost <= room }).toEqual({
        operation: `${file}: ${operation.name?.value}`,
        fits: true,
      });
    }
  });
});

describe("an alias bomb of expensive fields (issue 16 item 10)", () => {
  let user: Awaited<ReturnType<typeof registerSteppedUp>>;
  beforeAll(async () => {
    user = await registerSteppedUp(app.client);
    const first17 = "11010519900307123";
    await user.client.ok(START_REAL_NAME, { input: { legalName: "张三", idNumber: first17 + checkCharacter(first17) } });
  });

  it("is refused as QUERY_TOO_COMPLEX before any QR code is drawn, for a session and for a read-only API key", async () => {
    const { secret } = (await user.client.ok(CREATE_KEY)).createApiKey;
    for (const client of [user.client, app.client.as(secret)]) {
      const response = await client.request(aliasBomb(490, "realName { qrCodeDataUrl }"));
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(["QUERY_TOO_COMPLEX"]);
      expect(response.data ?? null).toBeNull();
    }
    // Reads of the database cost more than plain fields, and so do mutations, QR code or not.
    expect((await user.client.fails(aliasBomb(60, "email { masked }"))).extensions?.code).toBe("QUERY_TOO_COMPLEX");
    const enrolments = `mutation { ${Array.from({ length: 20 }, (_, i) => `a${i}: startTotpEnrollment { enrollment { secret } }`).join(" ")} }`;
    expect((await user.client.fails(enrolments)).extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("still answers the account center's own page query (which draws its QR code itself), and the pending check's QR code", async () => {
    const me = accountCenterOperations().find(({ operation }) => operation.name?.value === "Me");
    const { me: account } = await user.client.ok(me!.document.loc!.source.body);
    expect(account.realName).toMatchObject({ status: "PENDING", verifyUrl: expect.stringMatching(/^https?:/) });
    const QR = `{ me { realName { qrCodeDataUrl } } }`;
    const drawn = (await user.client.ok(QR)).me.realName.qrCodeDataUrl;
    expect(drawn).toMatch(/^data:image\/png;base64,/);
    // Drawn once per text: the second read shows the very same image.
    expect((await user.client.ok(QR)).me.realName.qrCodeDataUrl).toBe(drawn);
  });
});
