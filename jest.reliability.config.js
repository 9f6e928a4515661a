/**
 * The reliability suite (tests/reliability): property-based fuzzing, crash recovery of the real
 * server process, a hanging SMS vendor, a frozen Redis, and (on PostgreSQL) a database outage and
 * processes starting together, on private Redis and PostgreSQL servers.
 * `npm run test:reliability`, or `TEST_DATABASE=postgres npm run test:reliability`.
 * Kept apart from `npm test` (jest.config.js ignores tests/reliability) because it is slower and
 * starts and freezes servers of its own.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/tests/helpers/test-environment.ts",
  roots: ["<rootDir>/tests/reliability"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "ts-jest",
  },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/tests/helpers/global-setup.ts",
  testTimeout: 120000,
  // Runs with --runInBand: the crash and outage tests measure time.
  maxWorkers: 1,
  // List every test, so a skipped one (database-outage.test.ts on SQLite) shows as skipped.
  verbose: true,
};
