import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import type { KeysetPosition, PageWindow } from "../graphql/connection";

/** The columns a list is ordered by, newest first: an instant, then the id (items of one instant keep their order). */
export interface KeysetColumns {
  /** e.g. "event.createdAt" */
  readonly at: string;
  /** e.g. "event.id" */
  readonly id: string;
}

export interface KeysetPage<Row> {
  readonly rows: Row[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/**
 * One page of a list, newest first, by keyset: "after" is older than its position, "before" newer.
 * `matching` builds a fresh query of the whole list (its filters applied); an index on the list's key
 * and `columns` serves every read.
 */
export async function keysetPage<Row extends ObjectLiteral>(
  matching: () => SelectQueryBuilder<Row>,
  columns: KeysetColumns,
  window: PageWindow<KeysetPosition>,
): Promise<KeysetPage<Row>> {
  const forward = window.direction === "forward";
  const query = matching();
  if (window.after) query.andWhere(...keyset(columns, "<", window.after, "after"));
  if (window.before) query.andWhere(...keyset(columns, ">", window.before, "before"));
  const found = await query
    .orderBy(columns.at, forward ? "DESC" : "ASC")
    .addOrderBy(columns.id, forward ? "DESC" : "ASC")
    .limit(window.size + 1)
    .getMany();
  const more = found.length > window.size;
  const rows = found.slice(0, window.size);
  if (!forward) rows.reverse();
  // Beyond the cursor we paged from: anything there (the cursor's own item included) is the other side's page.
  const from = forward ? window.after : window.before;
  const beyond =
    from !== null &&
    (await matching()
      .andWhere(...keyset(columns, forward ? ">=" : "<=", from, "from"))
      .getExists());
  return forward ? { rows, hasNextPage: more, hasPreviousPage: beyond } : { rows, hasNextPage: beyond, hasPreviousPage: more };
}

/** `(at, id) <op> position` as a row comparison, which both databases answer from the index. */
function keyset(
  columns: KeysetColumns,
  op: "<" | ">" | "<=" | ">=",
  position: KeysetPosition,
  name: string,
): [string, Record<string, unknown>] {
  return [`(${columns.at}, ${columns.id}) ${op} (:${name}At, :${name}Id)`, { [`${name}At`]: position.at, [`${name}Id`]: position.id }];
}
