import { Foundation1763900000000 } from "./1763900000000-foundation";

/** In order. Each later schema change adds a migration here; none is ever edited after it lands. */
export const MIGRATIONS = [Foundation1763900000000];
