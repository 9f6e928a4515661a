import { hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { Logger } from "./logger";

export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * DATA_ENCRYPTION_KEY (with its id), or outside production a key generated once and kept in the
 * database (table dev_data_key), so `npm start` needs no set-up, codes and secrets stay readable
 * across restarts, and every development process on the same database, whatever its working
 * folder, reads what another sealed. The first process stores its key; the others find it. A key
 * file an earlier version left in the data folder is adopted, so existing development data stays
 * readable. Production refuses to start without the setting (config.ts).
 */
export async function resolveDataKey(config: Config, logger: Logger, dataSource: DataSource): Promise<DataKey> {
  if (config.dataEncryptionKey) return { id: config.dataEncryptionKeyId, key: config.dataEncryptionKey };
  const folder = config.database.kind === "sqlite" ? path.dirname(config.database.file) : path.resolve("data");
  const legacyFile = path.join(folder, "data-encryption.key");
  const generated = fs.existsSync(legacyFile) ? fs.readFileSync(legacyFile, "utf8").trim() : randomBytes(32).toString("base64");
  // Insert-or-ignore, then read: processes starting at once all end up with the one stored key.
  await dataSource.createQueryBuilder().insert().into("dev_data_key").values({ id: 1, key: generated }).orIgnore().execute();
  const stored = await dataSource
    .createQueryBuilder()
    .select("k.key", "key")
    .from("dev_data_key", "k")
    .where("k.id = 1")
    .getRawOne<{ key: string }>();
  logger.warn("DATA_ENCRYPTION_KEY is not set: using a development key kept in the database. Set it in production.");
  return { id: "dev", key: Buffer.from(stored!.key, "base64") };
}

/** A separate key for each use of the data key, so no two uses ever share key material. */
export function deriveKey(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), `account-platform/${purpose}`, 32));
}
