/**
 * The whole suite on CDK Terrain (`npm run test:cdktn`): the same tests and sources, with the library's
 * CDKTF imports mapped to CDK Terrain (packaging/cdktn-aliases.json); child processes the tests start get
 * the same mapping through FORTIFLEX_TEST_FRAMEWORK.
 */
const base = require("./jest.config");
const { jestModuleNameMapper } = require("./packaging/framework-aliases");

process.env.FORTIFLEX_TEST_FRAMEWORK = "cdktn";
module.exports = { ...base, moduleNameMapper: jestModuleNameMapper("cdktn") };
