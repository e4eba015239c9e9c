import * as path from "node:path";

/** The framework this test run uses: CDKTF, or CDK Terrain under `npm run test:cdktn`. */
export const TEST_FRAMEWORK = process.env.FORTIFLEX_TEST_FRAMEWORK === "cdktn" ? "cdktn" : "cdktf";

/** Node arguments that give a child process running the project's sources the run's framework. */
export function frameworkNodeArgs(): string[] {
  return TEST_FRAMEWORK === "cdktn" ? ["-r", path.join(__dirname, "..", "..", "packaging", "register-cdktn.js")] : [];
}
