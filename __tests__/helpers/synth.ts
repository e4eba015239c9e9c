import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";

/** Synthesizes one stack into a fresh directory and returns the stack's output directory. */
export function synthStack(stackName: string, build: (stack: TerraformStack) => void, outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-synth-"))): string {
  const app = new App({ outdir, skipValidation: true });
  build(new TerraformStack(app, stackName));
  app.synth();
  return path.join(outdir, "stacks", stackName);
}
