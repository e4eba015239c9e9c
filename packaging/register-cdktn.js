/**
 * `node -r ./packaging/register-cdktn.js ...`: runs the project's sources on CDK Terrain in a child process
 * (the CDK Terrain test run starts ts-node this way), resolving the library's CDKTF imports through
 * packaging/cdktn-aliases.json.
 */
const Module = require("node:module");
const { cdktnSpecifier } = require("./framework-aliases");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, cdktnSpecifier(request) ?? request, ...rest);
};
