import { ENV } from "../contract/endpoints";
import * as path from "node:path";
import { App, LocalBackend, type TerraformStack } from "cdktf";

/** Where local Terraform state lives, unless FORTIFLEX_STATE_DIR says otherwise: never inside the synth output. */
export const LOCAL_STATE_DIR = "terraform-state";

/**
 * A local backend whose state file is `<state dir>/<stack>.tfstate` (default `terraform-state/` in the working
 * directory of the synth), written relative to the stack directory. `cdktf synth` (the CLI) empties its output directory
 * before every synth, so state kept there would be lost; here it survives any synth. Shared and CI use
 * need a remote backend (the GitOps workflow refuses local state).
 */
export function localStateBackend(stack: TerraformStack): LocalBackend {
  const stackDir = path.resolve(App.of(stack).outdir, "stacks", stack.node.id);
  const stateFile = path.resolve(process.env[ENV.stateDir] || LOCAL_STATE_DIR, `${stack.node.id}.tfstate`);
  return new LocalBackend(stack, { path: path.relative(stackDir, stateFile) });
}
