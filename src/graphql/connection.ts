import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { IsOptional, Max, MaxLength, Min } from "./constraints";
import { AppError } from "../errors";

/** The largest page a connection serves: a page's cost is bounded by it (see FIELD_COST). */
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: "Where a page of a Relay connection sits in the whole list (relayStylePagination() reads it as it is)." })
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

/** Relay's forward (`first`, `after`) and backward (`last`, `before`) page arguments. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Forward paging: at most this many items (1-${MAX_PAGE_SIZE}) after \`after\`. Without first and last, ${DEFAULT_PAGE_SIZE}. Not with last (BAD_USER_INPUT).`,
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

/** Which end of the list a page is read from, with its position decoded by the connection's own cursor codec. */
export interface PageWindow<Position> {
  /** "forward": `size` items after `after`; "backward": `size` items before `before` (each when set). */
  readonly direction: "forward" | "backward";
  readonly size: number;
  readonly after: Position | null;
  readonly before: Position | null;
}

/** The page the arguments ask for; `decode` turns a cursor into a position or returns null for one this API did not give. */
export function pageWindow<Position>(args: ConnectionArgs, decode: (cursor: string) => Position | null): PageWindow<Position> {
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
    size: last ?? first ?? DEFAULT_PAGE_SIZE,
    after: position("after", after),
    before: position("before", before),
  };
}
