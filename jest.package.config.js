/** `npm run test:package`: both packages built, packed and installed into fresh apps (see the test). */
const base = require("./jest.config");

module.exports = { ...base, testMatch: ["**/installable-package.test.ts"], testPathIgnorePatterns: ["/node_modules/"] };
