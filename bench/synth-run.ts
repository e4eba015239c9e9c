/**
 * One measured synth, run in its own process by bench/synth-benchmark.ts:
 *   synth-run.ts <ours|baseline> <customers> <outdir>
 * Prints one JSON line: load time, synth time, peak memory.
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";

const [mode, countText, outdir] = process.argv.slice(2);
const count = Number(countText);
// The previous run's output is removed before the clock starts: deleting it is not part of a synth.
fs.rmSync(outdir, { recursive: true, force: true });
const loadStarted = performance.now();
// Loaded here, after the clock starts, so module loading is part of the figures.
const { App } = require("cdktf") as typeof import("cdktf");
const build: (app: InstanceType<typeof App>, i: number) => void = mode === "ours" ? require("./ours").buildCustomer : require("./baseline").buildBaselineStack;
const loaded = performance.now();

const app = new App({ outdir, skipValidation: true });
for (let i = 0; i < count; i++) build(app, i);
const constructed = performance.now();
app.synth();
const done = performance.now();
process.stdout.write(
  JSON.stringify({
    mode,
    stacks: count,
    loadMs: Math.round(loaded - loadStarted),
    constructMs: Math.round(constructed - loaded),
    synthMs: Math.round(done - loaded),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + "\n",
);
