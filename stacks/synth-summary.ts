import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformStack, type App } from "cdktf";

/** One line per stack of the app (resources, data sources, outputs) and where the output went. */
export function printSynthSummary(app: App, elapsedMs: number, out: NodeJS.WritableStream = process.stdout): void {
  const stacksDir = path.join(app.outdir, "stacks");
  const names = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id);
  const count = (blocks: Record<string, Record<string, unknown>> | undefined) => Object.values(blocks ?? {}).reduce((n, b) => n + Object.keys(b).length, 0);
  for (const name of names) {
    const json = path.join(stacksDir, name, "cdk.tf.json");
    if (fs.existsSync(json)) {
      const tf = JSON.parse(fs.readFileSync(json, "utf8"));
      out.write(`  ${name}: ${count(tf.resource)} resources, ${count(tf.data)} data sources, ${Object.keys(tf.output ?? {}).length} outputs\n`);
    } else {
      // HCL output (SYNTH_HCL_OUTPUT=true): count the top-level blocks.
      const hcl = fs.readFileSync(path.join(stacksDir, name, "cdk.tf"), "utf8");
      const blocks = (kind: string) => (hcl.match(new RegExp(`^${kind} "`, "gm")) ?? []).length;
      out.write(`  ${name}: ${blocks("resource")} resources, ${blocks("data")} data sources, ${blocks("output")} outputs (HCL)\n`);
    }
  }
  const file = app.hclOutput ? "cdk.tf" : "cdk.tf.json";
  out.write(
    `Synthesized ${names.length} stack(s) in ${Math.round(elapsedMs)} ms into ${path.relative(process.cwd(), stacksDir) || stacksDir}/<stack>/${file}\n`,
  );
}
