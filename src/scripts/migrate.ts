import "reflect-metadata";
import { loadConfig } from "../config";
import { migrate } from "../db/migrate";

/** `npm run migration:run`: what the server does at start-up (advisory lock, schema creation), on its own. */
migrate(loadConfig().database).then(
  (applied) => console.log(applied.length ? `applied: ${applied.join(", ")}` : "no migration pending"),
  (error: unknown) => {
    console.error("migrations failed:", error);
    process.exit(1);
  },
);
