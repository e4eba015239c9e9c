/**
 * Type-checking happens once in `npm test` (tsc --noEmit); jest only transpiles (tsconfig isolatedModules),
 * which keeps the suite fast.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // The packaging test (builds both packages, installs them in fresh apps: about 20 s) runs on its own:
  // `npm run test:package`, in .ci/run.
  testPathIgnorePatterns: ["/node_modules/", "/__tests__/package/"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // The handler's text module (npm run build:handler), built before any test loads the library: `npx jest <file>` works alone.
  globalSetup: "<rootDir>/packaging/build-handler.ts",
  // The real-terraform suites mostly wait on terraform and its providers: 3 workers keep 2 cores busy.
  maxWorkers: 3,
  testTimeout: 30000,
};
