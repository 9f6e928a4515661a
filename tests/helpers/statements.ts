import type { DataSource, Logger } from "typeorm";

/**
 * Records every SQL statement the server runs on `dataSource` into the returned array (empty it with
 * `statements.length = 0`): every statement of either driver goes through the DataSource's logger,
 * whatever `logging` says.
 */
export function recordStatements(dataSource: DataSource): string[] {
  const statements: string[] = [];
  const { logger } = dataSource;
  const counting: Logger = {
    logQuery: (query, parameters, runner) => {
      statements.push(query);
      logger.logQuery(query, parameters, runner);
    },
    logQueryError: (...args) => logger.logQueryError(...args),
    logQuerySlow: (...args) => logger.logQuerySlow(...args),
    logSchemaBuild: (...args) => logger.logSchemaBuild(...args),
    logMigration: (...args) => logger.logMigration(...args),
    log: (...args) => logger.log(...args),
  };
  Object.assign(dataSource, { logger: counting });
  return statements;
}
