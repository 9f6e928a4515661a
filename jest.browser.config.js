/**
 * The account center in a real browser (tests/browser): playwright-core driving the machine's
 * Chromium against the real server serving web/dist. `npm run test:browser` builds the SPA first.
 * Kept apart from `npm test` (jest.config.js ignores tests/browser) because it needs Chromium.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/tests/helpers/test-environment.ts",
  roots: ["<rootDir>/tests/browser"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "ts-jest",
  },
  setupFiles: ["reflect-metadata"],
  testTimeout: 60000,
  // One browser at a time: each file starts its own server and Chromium.
  maxWorkers: 1,
  verbose: true,
};
