/**
 * `npm run test:package`: both packages built, packed and installed into fresh apps, and a fleet repository
 * written by each package's `fortiflex init` (see the tests). One at a time: each builds the packages in place.
 */
const base = require("./jest.config");

module.exports = {
  ...base,
  testMatch: ["**/__tests__/package/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  maxWorkers: 1,
};
