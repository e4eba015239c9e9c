/**
 * `npm run bench [-- --customers N]`: synthesizes N generated customers (default 150) with this library
 * and a baseline app declaring the same Azure resources directly, on CDKTF and on CDK Terrain (the same
 * sources bundled with the CDK Terrain import map). Each run is a fresh process (best of --repeat, default 2)
 * and reports load time, synth time and peak memory. On CDK Terrain the library turns off the creation
 * stacks (CDKTN_DISABLE_CREATION_STACK), so the baseline is measured as a plain app runs (with them) and
 * with the same switch.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildSync } from "esbuild";
import { esbuildAliases, PROJECT_ROOT, type Framework } from "../packaging/framework-aliases";

interface Run {
  mode: string;
  stacks: number;
  loadMs: number;
  constructMs: number;
  synthMs: number;
  peakRssMb: number;
}

const { values } = parseArgs({ options: { customers: { type: "string", default: "150" }, repeat: { type: "string", default: "2" } } });
const customers = Number(values.customers);
const repeat = Number(values.repeat);
if (!Number.isInteger(customers) || customers < 1 || customers > 4096) throw new Error(`--customers must be 1-4096, got ${values.customers}`);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new Error(`--repeat must be 1-20, got ${values.repeat}`);

/** synth-run.ts bundled for a framework (externals from the project's node_modules). */
function runner(framework: Framework): string {
  const outfile = path.join(PROJECT_ROOT, "dist", "bench", framework, "synth-run.js");
  buildSync({
    entryPoints: [path.join(__dirname, "synth-run.ts")],
    outfile,
    bundle: true,
    platform: "node",
    packages: "external",
    alias: esbuildAliases(framework),
    absWorkingDir: PROJECT_ROOT,
    logLevel: "warning",
  });
  return outfile;
}

function measure(script: string, mode: string, env: Record<string, string> = {}): Run {
  const runs: Run[] = [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!("CDKTN_DISABLE_CREATION_STACK" in env)) delete childEnv.CDKTN_DISABLE_CREATION_STACK;
  for (let i = 0; i < repeat; i++) {
    const res = spawnSync(process.execPath, [script, mode, String(customers), path.join(os.tmpdir(), `ffx-bench-${mode}`)], {
      encoding: "utf8",
      env: childEnv,
    });
    if (res.status !== 0) throw new Error(`${mode} run failed:\n${res.stderr}`);
    runs.push(JSON.parse(res.stdout.trim().split("\n").pop()!));
  }
  return runs.sort((a, b) => a.synthMs - b.synthMs)[0];
}

const cdktf = runner("cdktf");
const cdktn = runner("cdktn");
const rows: [string, Run][] = [
  ["CDKTF 0.21 library", measure(cdktf, "ours")],
  ["CDKTF 0.21 baseline", measure(cdktf, "baseline")],
  ["CDK Terrain 0.24 library", measure(cdktn, "ours")],
  ["CDK Terrain 0.24 baseline", measure(cdktn, "baseline")],
  ["CDK Terrain 0.24 baseline, no creation stacks", measure(cdktn, "baseline", { CDKTN_DISABLE_CREATION_STACK: "1" })],
];
const [tfLib, tfBase, tnLib, tnBase, tnBaseSwitch] = rows.map(([, r]) => r);
const ratio = (a: Run, b: Run) => `synth ${(a.synthMs / b.synthMs).toFixed(2)}x, memory ${(a.peakRssMb / b.peakRssMb).toFixed(2)}x`;
const width = Math.max(...rows.map(([n]) => n.length));
console.log(`Synth of ${customers} customer stacks on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), Node ${process.version}, best of ${repeat}`);
console.log(`${"".padEnd(width)} ${"load ms".padStart(8)} ${"synth ms".padStart(9)} ${"ms per stack".padStart(13)} ${"peak RSS MB".padStart(12)}`);
for (const [name, r] of rows) {
  const cells = [String(r.loadMs).padStart(8), String(r.synthMs).padStart(9), (r.synthMs / r.stacks).toFixed(2).padStart(13), String(r.peakRssMb).padStart(12)];
  console.log(`${name.padEnd(width)} ${cells.join(" ")}`);
}
console.log(`CDKTF library / baseline: ${ratio(tfLib, tfBase)}`);
console.log(`CDK Terrain library / baseline as a plain app runs: ${ratio(tnLib, tnBase)}`);
console.log(`CDK Terrain library / baseline with the same switch: ${ratio(tnLib, tnBaseSwitch)}`);
console.log("(synth = constructing the stacks + writing cdk.tf.json; load = importing the framework, providers and constructs)");
