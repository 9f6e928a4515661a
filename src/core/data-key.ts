import { hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import type { Logger } from "./logger";

export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * DATA_ENCRYPTION_KEY (with its id), or outside production a key generated once into the data
 * folder, so `npm start` needs no set-up and codes and secrets stay readable across restarts.
 * Production refuses to start without the setting (config.ts).
 */
export function resolveDataKey(config: Config, logger: Logger): DataKey {
  if (config.dataEncryptionKey) return { id: config.dataEncryptionKeyId, key: config.dataEncryptionKey };
  const folder = config.database.kind === "sqlite" ? path.dirname(config.database.file) : path.resolve("data");
  const file = path.join(folder, "data-encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  logger.warn({ file }, "DATA_ENCRYPTION_KEY is not set: using a development key from the data folder. Set it in production.");
  return { id: "dev", key: Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64") };
}

/** A separate key for each use of the data key, so no two uses ever share key material. */
export function deriveKey(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), `account-platform/${purpose}`, 32));
}
