/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/tests/helpers/test-environment.ts",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/tests/reliability/", "/tests/browser/"],
  transform: {
    // tsconfig's isolatedModules makes ts-jest transpile only; `npm run typecheck` checks types.
    "^.+\\.ts$": "ts-jest",
  },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/tests/helpers/global-setup.ts",
  testTimeout: 30000,
  maxWorkers: 2,
};
