import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";

/** Synthesizes one stack into a fresh directory and returns the stack's output directory. */
export function synthStack(stackName: string, build: (stack: TerraformStack) => void, outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-synth-"))): string {
  const app = new App({ outdir, skipValidation: true });
  build(new TerraformStack(app, stackName));
  app.synth();
  return path.join(outdir, "stacks", stackName);
}

/**
 * A stack for real terraform: synthStack with a local backend, its state at `statePath` (relative paths are
 * from the stack directory, where terraform runs: by default the state sits beside cdk.tf.json).
 */
export function synthTerraformStack(stackName: string, build: (stack: TerraformStack) => void, outdir?: string, statePath = "terraform.tfstate"): string {
  return synthStack(
    stackName,
    (stack) => {
      new LocalBackend(stack, { path: statePath });
      build(stack);
    },
    outdir,
  );
}
