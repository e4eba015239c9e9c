import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { LocalBackend } from "cdktf";
import { FortiFlexConfiguration, FortiFlexProduct, FortiFlexVmEntitlement, FortiGateServicePackage, LifecycleResourceType } from "../constructs";
import { keyOf } from "../custom-provider/object-key";
import { startHarness, type Harness } from "./helpers/simulator-harness";
import { synthStack } from "./helpers/synth";
import { run } from "./helpers/terraform-emulator";

/**
 * Real `terraform init/apply/destroy` of a FortiFlex-only stack on the terraform_data option (built into
 * Terraform, so nothing is downloaded), against the simulator. Runs only where terraform is on PATH.
 */
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const available = terraform.status === 0;
const version = available ? terraform.stdout.split("\n")[0] : "";
if (!available) console.log("SKIPPED terraform apply test: terraform is not on PATH");

(available ? describe : describe.skip)(`terraform apply/destroy (${version || "terraform missing"})`, () => {
  let h: Harness;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    env = { HOME: process.env.HOME ?? "/tmp", ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
    dir = synthStack("tfdemo", (stack) => {
      // State next to the stack, not in the project directory (cdktf's default).
      new LocalBackend(stack, { path: "terraform.tfstate" });
      const config = new FortiFlexConfiguration(stack, "Config", {
        programSerialNumber: h.sim.seed.programSerialNumber,
        accountId: h.sim.seed.memberAccountIds[1],
        name: "tf demo",
        product: FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }),
        lifecycleResource: LifecycleResourceType.TERRAFORM_DATA,
        detectDrift: false,
        endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
      });
      new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: "terraform test" });
    }, path.join(h.tmp, "out"));
  });
  afterAll(async () => h.close());

  // Asynchronous: the simulator answers from this process's event loop.
  const tf = async (...args: string[]) => {
    const res = await run("terraform", args, dir, env, undefined, 120_000);
    if (res.exitCode !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };

  test("init, apply, apply again, destroy, destroy again", async () => {
    console.log(`RUNNING terraform apply test with ${version}`);
    await tf("init", "-input=false", "-no-color");
    const applied = await tf("apply", "-auto-approve", "-input=false", "-no-color");
    expect(applied).toMatch(/fortiflex: entitlement tfdemo\/Fw: created FGVM\w+ \(PENDING\)/);
    expect(applied).not.toContain(h.sim.seed.password);
    expect(h.sim.world.state.configs.map((c) => c.status)).toEqual(["ACTIVE"]);
    expect(h.sim.world.state.entitlements.map((e) => [keyOf(e.description), e.status])).toEqual([["tfdemo/Fw", "PENDING"]]);

    expect(await tf("apply", "-auto-approve", "-input=false", "-no-color")).toMatch(/No changes\./);

    const destroyed = await tf("destroy", "-auto-approve", "-input=false", "-no-color");
    expect(destroyed).toMatch(/entitlement tfdemo\/Fw \(FGVM\w+\): stopped/);
    expect(h.sim.world.state.entitlements.map((e) => e.status)).toEqual(["STOPPED"]);
    expect(h.sim.world.state.configs.map((c) => c.status)).toEqual(["DISABLED"]);
    expect(await tf("destroy", "-auto-approve", "-input=false", "-no-color")).toMatch(/0 destroyed|No changes|no objects need to be destroyed/i);

    // A fresh apply reuses what exists: still one entitlement.
    await tf("apply", "-auto-approve", "-input=false", "-no-color");
    expect(h.sim.world.state.entitlements.map((e) => e.status)).toEqual(["ACTIVE"]);
  });
});
