/**
 * `derive` worked out once per row object and kept while the row lives: for what the account
 * center's page shows of rows it reads from a cache (a masked address, a parsed profile, an opened
 * seal), which would otherwise be worked out again on every read. A write replaces the cached row
 * (AccountRowsCache reads it afresh), so the derived value goes with it; rows must not be changed
 * in place after a first call.
 */
export function perRow<Row extends object, Value>(derive: (row: Row) => Value): (row: Row) => Value {
  const derived = new WeakMap<Row, Value>();
  return (row) => {
    if (derived.has(row)) return derived.get(row) as Value;
    const value = derive(row);
    derived.set(row, value);
    return value;
  };
}
