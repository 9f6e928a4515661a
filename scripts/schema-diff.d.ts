/** Types of schema-diff.js (plain JS, so `npm run schema:diff` needs no build) for the tests that call it. */
export interface SchemaChange {
  readonly level: "BREAKING" | "DANGEROUS" | "NON_BREAKING";
  readonly message: string;
}
export function schemaChanges(released?: string, current?: string): Promise<SchemaChange[]>;
export function isBreaking(change: SchemaChange): boolean;
