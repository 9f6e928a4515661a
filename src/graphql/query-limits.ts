import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { AppError, fieldError } from "../errors";

function selectionDepth(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection meta-fields are bounded by the schema itself.
      if (selection.name.value.startsWith("__")) continue;
      deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet, fragments, visiting));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // graphql validation reports cycles itself
      visiting.add(name);
      deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}

export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return selectionDepth(operation.selectionSet, fragments, new Set());
}

/**
 * U+0000, which PostgreSQL cannot store, and a lone UTF-16 surrogate, which no text encoding can
 * carry (validator's isEmail throws on one). JSON lets a client send both as `\u` escapes.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is what this looks for
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string in a variables object that holds unstorable text, or null. */
function unstorableTextPath(value: unknown, path: string): string | null {
  if (typeof value === "string") return UNSTORABLE_TEXT.test(value) ? path : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = unstorableTextPath(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

function documentHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes("\u0000")) found = true;
    },
  });
  return found;
}

/** One database query: ~1 ms, and on SQLite a synchronous one, so a request's queries run back to back. */
const QUERY_COST = 20;

/**
 * What a field costs towards GRAPHQL_MAX_COST on top of its children (`@Extensions(FIELD_COST.x)`);
 * any other field costs 1. Sized so that an operation within the default limit (1000) holds the
 * event loop for well under 50 ms, while the account center's page query costs under half of it.
 */
export const FIELD_COST = {
  /** Its resolver makes this many database queries. */
  reads: (queries: number) => ({ complexity: QUERY_COST * queries }),
  /** Draws a QR code: ~10 ms of CPU the first time a text is shown. */
  QR_CODE: { complexity: 200 },
  /** Every mutation: a transaction of a few reads and writes (aliases run one after another). */
  MUTATION: { complexity: 5 * QUERY_COST },
} as const;

const mutationEstimator: ComplexityEstimator = ({ type, childComplexity }) =>
  type.name === "Mutation" ? FIELD_COST.MUTATION.complexity + childComplexity : undefined;

/** What an operation costs, or a GraphQLError when its variables do not fit their types. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operation.name?.value,
    variables,
    estimators: [fieldExtensionsEstimator(), mutationEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

/**
 * How deep variables and extensions may nest. Input types here nest a few levels; graphql-js's
 * coercion and the walks in this file recurse, and a 20 000-deep JSON value overflows the stack.
 */
export const MAX_VARIABLE_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `limit`; a loop, so no depth can overflow the stack. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, depth] = next;
    if (current === null || typeof current !== "object") continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(current)) pending.push([inner, depth + 1]);
  }
  return false;
}

/**
 * The refusal of a request's parameters before Apollo sees them (its plugins cannot refuse that
 * early: an error thrown before parsing becomes "Internal server error"): query text longer than
 * `maxQueryBytes` (a parsed document takes about 50 times its text in memory), and variables or
 * extensions nested deeper than MAX_VARIABLE_DEPTH. Null when they may go on.
 */
export function refuseBeforeParsing(
  params: { readonly query?: unknown; readonly variables?: unknown; readonly extensions?: unknown },
  maxQueryBytes: number,
): AppError | null {
  if (typeof params.query === "string" && Buffer.byteLength(params.query) > maxQueryBytes) {
    return new AppError("QUERY_TOO_LARGE", {}, `The query is longer than ${maxQueryBytes} bytes; send a shorter document.`);
  }
  if (nestsDeeperThan(params.variables, MAX_VARIABLE_DEPTH) || nestsDeeperThan(params.extensions, MAX_VARIABLE_DEPTH)) {
    return AppError.badInput("variables", "TOO_DEEP", `Must not nest deeper than ${MAX_VARIABLE_DEPTH} levels.`, {
      max: MAX_VARIABLE_DEPTH,
    });
  }
  return null;
}

/**
 * Refuses, before any resolver runs: a subscription (the schema has none); text holding U+0000 or a
 * lone surrogate (no field takes either, and neither can be stored); an operation that nests deeper than
 * `maxDepth` or costs more than `maxCost` (see FIELD_COST).
 */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: { maxDepth: number; maxCost: number }): ApolloServerPlugin {
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();
  const isTooComplex = (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean => {
    if (operationDepth(document, operation) > limits.maxDepth) return true;
    try {
      return operationCost(schema, document, operation, variables) > limits.maxCost;
    } catch (error) {
      // Variables that do not fit their types: execution refuses them with BAD_USER_INPUT
      // and field details before any resolver runs, so there is no cost to bound.
      if (error instanceof GraphQLError) return false;
      throw error;
    }
  };
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's plugin hooks must return a Promise
    async requestDidStart() {
      return {
        // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's hooks return a Promise; async makes a throw its rejection
        async didResolveOperation({ document, operation, request, source }) {
          // No operation of that name: execution reports it as a bad request.
          if (!operation) return;
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw AppError.refusedRequest("BAD_REQUEST", {}, "This API has no subscriptions; use a query or a mutation.");
          }
          const badVariable = unstorableTextPath(request.variables ?? {}, "");
          // Named like other variable errors: the variable's name dropped from a nested path.
          // (graphql-js itself refuses a lone surrogate escape in the document.)
          const badField = badVariable?.replace(/^[^.]+\./, "") ?? (source.includes("\\u") && documentHasNul(document) ? "query" : null);
          if (badField !== null) {
            throw AppError.refusedRequest("BAD_USER_INPUT", {
              fieldErrors: [
                fieldError(badField, {
                  code: "INVALID_TEXT",
                  message: "Must not contain U+0000 or a lone surrogate: send well-formed Unicode text.",
                }),
              ],
            });
          }
          // Apollo hands the same parsed document to every request with the same query text, so an
          // SPA's repeated operations are measured once; the cost of one with variables may depend on them.
          let tooComplex = verdicts.get(operation);
          if (tooComplex === undefined) {
            tooComplex = isTooComplex(document, operation, request.variables ?? {});
            if (!operation.variableDefinitions?.length) verdicts.set(operation, tooComplex);
          }
          if (tooComplex) throw AppError.refusedRequest("QUERY_TOO_COMPLEX");
        },
      };
    },
  };
}
