import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Usernames are now unique by NFKC then lower case (they were by lower case): this recomputes every
 * stored key, so a name stored with compatibility characters or Kangxi radicals (allowed until now)
 * is found again when typed at sign-in. Where two accounts' keys become equal, an account that already
 * has the key keeps it, else the oldest gets it; the others keep their old keys (nothing else changes
 * for them), so their names can no longer be typed to sign in: their owners sign in with a bound
 * email, phone or provider and pick a new name (the one they have is now refused anyway). The ids of
 * such accounts are logged.
 * Written out here, not imported, so the migration keeps meaning what it meant when it landed.
 */
const nfkcKey = (username: string) => username.normalize("NFKC").toLowerCase();
const lowerCaseKey = (username: string) => username.toLowerCase();

interface Row {
  id: string;
  username: string;
  key: string;
  createdAt: string | Date;
}

const BATCH = 1000;

/** Plain SQL with `:name` parameters: the entities may not match the tables at this point of the history. */
function query<T>(queryRunner: QueryRunner, sql: string, parameters: Record<string, unknown>): Promise<T[]> {
  const [text, values] = queryRunner.connection.driver.escapeQueryWithParameters(sql, parameters);
  return queryRunner.query(text, values);
}

async function rekey(queryRunner: QueryRunner, keyOf: (username: string) => string): Promise<void> {
  const changed: { row: Row; key: string }[] = [];
  for (let after = ""; ;) {
    const rows = await query<Row>(
      queryRunner,
      `SELECT id, username, username_normalized AS "key", created_at AS "createdAt" FROM accounts WHERE id > :after ORDER BY id LIMIT ${BATCH}`,
      { after },
    );
    for (const row of rows) {
      const key = keyOf(row.username);
      if (key !== row.key) changed.push({ row, key });
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].id;
  }
  // Oldest first, so the oldest of the accounts whose keys now collide gets the key.
  changed.sort((a, b) => new Date(a.row.createdAt).getTime() - new Date(b.row.createdAt).getTime());
  const kept: string[] = [];
  for (const { row, key } of changed) {
    if ((await query(queryRunner, "SELECT id FROM accounts WHERE username_normalized = :key", { key })).length > 0) {
      kept.push(row.id);
      continue;
    }
    await query(queryRunner, "UPDATE accounts SET username_normalized = :key WHERE id = :id", { key, id: row.id });
  }
  if (kept.length > 0) {
    // Migrations run before the server's logger exists.
    console.warn(
      `usernames: ${kept.length} account(s) keep their old username key because another account has the new one; they sign in by email, phone or provider and choose a new name: ${kept.join(", ")}`,
    );
  }
}

export class UsernameNfkcKeys1764441600000 implements MigrationInterface {
  name = "UsernameNfkcKeys1764441600000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekey(queryRunner, nfkcKey);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekey(queryRunner, lowerCaseKey);
  }
}
