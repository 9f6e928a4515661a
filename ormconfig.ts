import "reflect-metadata";
import { loadConfig } from "./src/config";
import { createDataSource } from "./src/db/data-source";

/** The DataSource the TypeORM CLI uses (`npm run migration:run`), configured like the server. */
export default createDataSource(loadConfig().database);
