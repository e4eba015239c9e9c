/**
 * `npm run bench [-- --customers N]`: synthesizes N generated customers (default 150) with this library
 * and, in the same run, a baseline app declaring the same Azure resources directly. Each side runs in a
 * fresh process (twice; the faster run counts) and reports load time, synth time and peak memory.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

interface Run { mode: string; stacks: number; loadMs: number; constructMs: number; synthMs: number; peakRssMb: number }

const { values } = parseArgs({ options: { customers: { type: "string", default: "150" }, repeat: { type: "string", default: "2" } } });
const customers = Number(values.customers);
const repeat = Number(values.repeat);
if (!Number.isInteger(customers) || customers < 1 || customers > 4096) throw new Error(`--customers must be 1-4096, got ${values.customers}`);

function measure(mode: string): Run {
  const runs: Run[] = [];
  for (let i = 0; i < repeat; i++) {
    const res = spawnSync(process.execPath, [path.join(__dirname, "synth-run.js"), mode, String(customers), path.join(os.tmpdir(), `ffx-bench-${mode}`)], { encoding: "utf8" });
    if (res.status !== 0) throw new Error(`${mode} run failed:\n${res.stderr}`);
    runs.push(JSON.parse(res.stdout.trim().split("\n").pop()!));
  }
  return runs.sort((a, b) => a.synthMs - b.synthMs)[0];
}

const ours = measure("ours");
const baseline = measure("baseline");
const row = (name: string, r: Run) =>
  `${name.padEnd(10)} ${String(r.loadMs).padStart(8)} ${String(r.synthMs).padStart(9)} ${(r.synthMs / r.stacks).toFixed(2).padStart(13)} ${String(r.peakRssMb).padStart(12)}`;
console.log(`Synth of ${customers} customer stacks on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), Node ${process.version}`);
console.log(`${"".padEnd(10)} ${"load ms".padStart(8)} ${"synth ms".padStart(9)} ${"ms per stack".padStart(13)} ${"peak RSS MB".padStart(12)}`);
console.log(row("library", ours));
console.log(row("baseline", baseline));
console.log(`library / baseline: synth ${(ours.synthMs / baseline.synthMs).toFixed(2)}x, memory ${(ours.peakRssMb / baseline.peakRssMb).toFixed(2)}x`);
console.log("(synth = constructing the stacks + writing cdk.tf.json; load = importing cdktf, providers and constructs)");
