/**
 * Type-checking happens once in `npm test` (tsc --noEmit); jest only transpiles (tsconfig isolatedModules),
 * which keeps the suite fast.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  maxWorkers: "50%",
  testTimeout: 30000,
};
