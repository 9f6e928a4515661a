import { parse } from "graphql";
import { operationDepth } from "../../src/graphql/query-limits";

describe("operationDepth", () => {
  it.each([
    ["{ me { id } }", 2],
    ["{ me { auditEvents { nodes { id } } } }", 4],
    ["{ ...F } fragment F on Query { me { ... on Account { sessions { id } } } }", 3],
    ["{ __schema { types { fields { type { ofType { name } } } } } providers { kind } }", 2],
  ])("%s has depth %i", (query, depth) => {
    expect(operationDepth(parse(query))).toBe(depth);
  });

  it("measures the named operation", () => {
    const document = parse("query A { me { id } } query B { me { sessions { id } } }");
    expect(operationDepth(document, "A")).toBe(2);
    expect(operationDepth(document, "B")).toBe(3);
  });
});
