import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { IsOptional, Max, MaxLength, Min } from "./constraints";
import { AppError } from "../errors";
import { PLAIN_FIELDS } from "./plain-fields";

/** The largest page a connection serves: a page's cost is bounded by it (see FIELD_COST). */
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

@ObjectType({
  ...PLAIN_FIELDS,
  description: "Where a page of a Relay connection sits in the whole list (relayStylePagination() reads it as it is).",
})
export class PageInfo {
  @Field({ description: "More items follow endCursor: pass it as `after` with `first` to read them." })
  hasNextPage: boolean;

  @Field({ description: "More items come before startCursor: pass it as `before` with `last` to read them." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's first edge; null for an empty page." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "The cursor of the page's last edge; null for an empty page." })
  endCursor: string | null;
}

/** Relay's forward page arguments (`first`, `after`); `firstNote` ends first's description (its default, what it excludes). */
function forwardArgs(firstNote: string) {
  @ArgsType()
  class ForwardArgs {
    @Field(() => Int, {
      nullable: true,
      description: `Forward paging: at most this many items (1-${MAX_PAGE_SIZE}) after \`after\`. ${firstNote}`,
    })
    @IsOptional()
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    first?: number | null;

    @Field(() => String, {
      nullable: true,
      description:
        "Forward paging: the items after this cursor (an edge's cursor or pageInfo.endCursor). A cursor this API did not give is BAD_USER_INPUT.",
    })
    @IsOptional()
    @MaxLength(200)
    after?: string | null;
  }
  return ForwardArgs;
}

/** `first` and `after` of a connection that pages forward only, `defaultSize` items a page unless asked otherwise. */
export function ForwardConnectionArgs(defaultSize: number) {
  return forwardArgs(`Default ${defaultSize}.`);
}

/** Relay's forward (`first`, `after`) and backward (`last`, `before`) page arguments. */
@ArgsType()
export class ConnectionArgs extends forwardArgs(`Without first and last, ${DEFAULT_PAGE_SIZE}. Not with last (BAD_USER_INPUT).`) {
  @Field(() => Int, {
    nullable: true,
    description: `Backward paging: at most this many items (1-${MAX_PAGE_SIZE}) before \`before\`. Not with first (BAD_USER_INPUT).`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Backward paging: the items before this cursor (an edge's cursor or pageInfo.startCursor). A cursor this API did not give is BAD_USER_INPUT.",
  })
  @IsOptional()
  @MaxLength(200)
  before?: string | null;
}

/** The page arguments a connection may have been given. */
interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

/** Which end of the list a page is read from, with its position decoded by the connection's own cursor codec. */
export interface PageWindow<Position> {
  /** "forward": `size` items after `after`; "backward": `size` items before `before` (each when set). */
  readonly direction: "forward" | "backward";
  readonly size: number;
  readonly after: Position | null;
  readonly before: Position | null;
}

/** The page the arguments ask for; `decode` turns a cursor into a position or returns null for one this API did not give. */
export function pageWindow<Position>(
  args: PageArgs,
  decode: (cursor: string) => Position | null,
  defaultSize = DEFAULT_PAGE_SIZE,
): PageWindow<Position> {
  const { first, after, last, before } = args;
  if (first != null && last != null)
    throw AppError.badInput("last", "CONFLICTS_WITH", "give first or last, not both", { fields: ["first"] });
  const position = (field: "after" | "before", cursor: string | null | undefined): Position | null => {
    if (cursor == null) return null;
    const decoded = decode(cursor);
    if (decoded === null) throw AppError.badInput(field, "INVALID_CURSOR", `${field} must be a cursor from this connection`);
    return decoded;
  };
  return {
    direction: last != null ? "backward" : "forward",
    size: last ?? first ?? defaultSize,
    after: position("after", after),
    before: position("before", before),
  };
}

/** Where an item sits in a list ordered by an instant, newest first, then by id. */
export interface KeysetPosition<Id extends string | number = string | number> {
  readonly at: Date;
  readonly id: Id;
}

/**
 * Cursors of keyset positions: base64url of "<instant in ms>:<id>", opaque to clients. `id` is the
 * pattern of an id and how to read one; only the canonical spelling of a cursor decodes.
 */
export function keysetCursors<Id extends string | number>(id: { readonly pattern: string; readonly parse: (text: string) => Id }) {
  const shape = new RegExp(`^(\\d{1,15}):(${id.pattern})$`);
  const encode = (position: KeysetPosition<Id>): string => Buffer.from(`${position.at.getTime()}:${position.id}`).toString("base64url");
  const decode = (cursor: string): KeysetPosition<Id> | null => {
    const match = shape.exec(Buffer.from(cursor, "base64url").toString("latin1"));
    if (!match) return null;
    const position = { at: new Date(Number(match[1])), id: id.parse(match[2]) };
    return encode(position) === cursor ? position : null;
  };
  return { encode, decode };
}

/** Cursors of rows keyed by a UUID. */
export const uuidKeysetCursors = keysetCursors({ pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", parse: String });

export interface Edge<Node> {
  cursor: string;
  node: Node;
}

export interface Connection<Node> {
  edges: Edge<Node>[];
  nodes: Node[];
  pageInfo: PageInfo;
}

/** What a connection's types say of its items, for their descriptions. */
export interface ConnectionText {
  /** The edge type's description. */
  readonly edge: string;
  /** The edge's cursor: what it is good for and how long. */
  readonly cursor: string;
  /** The edge's node. */
  readonly node: string;
  /** The connection's edges (a page of what, in which order). */
  readonly edges: string;
  /** The connection's pageInfo. */
  readonly pageInfo: string;
}

/**
 * The fields every Relay connection of `node` has (edges, nodes, pageInfo), and its edge type
 * `<node>Edge`: extend it with `@ObjectType` to name the connection `<node>Connection`, which
 * graphcache, like Relay, treats as a page rather than an entity to key.
 */
export function ConnectionType<Node extends object>(node: ClassType<Node>, text: ConnectionText) {
  @ObjectType(`${node.name}Edge`, { ...PLAIN_FIELDS, description: text.edge })
  class NodeEdge implements Edge<Node> {
    @Field({ description: text.cursor })
    cursor: string;

    @Field(() => node, { description: text.node })
    node: Node;
  }

  @ObjectType(PLAIN_FIELDS)
  abstract class NodeConnection implements Connection<Node> {
    @Field(() => [NodeEdge], { description: text.edges })
    edges: NodeEdge[];

    @Field(() => [node], { description: "The edges' nodes, for clients that need no cursors." })
    nodes: Node[];

    @Field(() => PageInfo, { description: text.pageInfo })
    pageInfo: PageInfo;
  }
  return NodeConnection;
}

/** A page as a connection: its rows made edges, and where it sits in the whole list. */
export function toConnection<Row, Node>(
  page: { readonly rows: readonly Row[]; readonly hasNextPage: boolean; readonly hasPreviousPage: boolean },
  toEdge: (row: Row) => Edge<Node>,
): Connection<Node> {
  const edges = page.rows.map(toEdge);
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
