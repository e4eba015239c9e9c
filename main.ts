/**
 * Entry point of `npm run synth` and `cdktf synth`: builds the stacks and writes
 * cdktf.out/stacks/<stack>/cdk.tf.json, then prints a short summary.
 */
import { App } from "cdktf";
import { FortiFlexOnlyStack } from "./examples/fortiflex-only-stack";
import { printSynthSummary } from "./stacks/synth-summary";

const started = process.hrtime.bigint();
const app = new App();
new FortiFlexOnlyStack(app, "fortiflex-example");
app.synth();
printSynthSummary(app, Number(process.hrtime.bigint() - started) / 1e6);
