import { getOperationAST, parse, type DocumentNode } from "graphql";
import { operationDepth } from "../../src/graphql/query-limits";

function depthOf(document: DocumentNode, operationName?: string): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error(`no operation ${operationName}`);
  return operationDepth(document, operation);
}

describe("operationDepth", () => {
  it.each([
    ["{ me { id } }", 2],
    ["{ me { auditEvents { nodes { id } } } }", 4],
    ["{ ...F } fragment F on Query { me { ... on Account { sessions { nodes { id } } } } }", 4],
    ["{ __schema { types { fields { type { ofType { name } } } } } providers { kind } }", 2],
  ])("%s has depth %i", (query, depth) => {
    expect(depthOf(parse(query))).toBe(depth);
  });

  it("measures the named operation", () => {
    const document = parse("query A { me { id } } query B { me { sessions { nodes { id } } } }");
    expect(depthOf(document, "A")).toBe(2);
    expect(depthOf(document, "B")).toBe(4);
  });
});
