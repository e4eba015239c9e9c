/**
 * `npm run soak [-- --runs N --parallel P --seed S]`: a long fault campaign against a fresh simulator on
 * 127.0.0.1; prints the figures and exits non-zero on the first broken invariant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { handlerBundle } from "../constructs/private/handler-bundle";
import { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import { runFaultCampaign } from "./fault-campaign";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "500" }, parallel: { type: "string", default: "10" }, seed: { type: "string" } },
  });
  const runs = Number(values.runs);
  const parallel = Number(values.parallel);
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  for (const [name, n] of [
    ["runs", runs],
    ["parallel", parallel],
    ["seed", seed],
  ] as const) {
    if (!Number.isInteger(n) || n < (name === "seed" ? 0 : 1)) throw new Error(`--${name} must be a whole number, got ${values[name]}`);
  }
  const sim = await FortiFlexSimulator.start();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-soak-"));
  const started = Date.now();
  try {
    const figures = await runFaultCampaign({ sim, handler: handlerBundle().path, tmp, runs, parallel, seed });
    console.log(JSON.stringify({ ...figures, wallSeconds: Math.round((Date.now() - started) / 100) / 10 }, null, 2));
  } finally {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`soak: ${e.message}`);
  process.exit(1);
});
