import * as path from "node:path";
import { TerraformStack, TerraformVariable } from "cdktf";
import {
  FortiGateHaPairWithFortiFlex,
  FortiGateServicePackage,
  FortiGateWithFortiFlex,
  LifecycleResourceType,
  type FortiGateWithFortiFlexProps,
} from "../../constructs";
import { keyOf } from "../../contract/object-key";
import { summarizePlan, type PlanJson } from "../../gitops/plan-summary";
import type { PlanDocument } from "../../local-providers/terraform-runner";
import { bootsIn, standInForAzure } from "../../local-providers/azure-stand-in";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * "Every boot gets a token that is unused at that moment", proven with real terraform against the simulator.
 * The Azure VM is a stand-in that keeps the VM's replace-forcing arguments and custom data and boots like a
 * FortiGate (activates the LICENSE-TOKEN of its custom data; the simulator refuses a used token, and the
 * stand-in's create then fails). One case per cause of a rebuild, and the changes that must not rebuild.
 */
describeWithTerraform("license on every boot", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  const bootLog = () => path.join(h.tmp, "boots.jsonl");
  const boots = (vm?: string) => bootsIn(bootLog()).filter((b) => vm === undefined || b.vm === vm);
  const tokenRegenerations = () => h.sim.requests.filter((r) => r.operation === "entitlements/vm/token").length;

  /** Synthesizes `build` into `name`'s directory (state kept beside it) and puts the Azure stand-in in. */
  const synth = (name: string, build: (stack: TerraformStack) => void) => {
    const outdir = path.join(h.tmp, `out-${name}`);
    const dir = synthTerraformStack(name, build, outdir);
    standIns.set(dir, standInForAzure(dir, { simulatorUrl: h.sim.baseUrl, bootLog: bootLog() }));
    return dir;
  };
  /** The stand-in VM addresses of each synthesized stack directory. */
  const standIns = new Map<string, string[]>();
  const single = (name: string, extra: Partial<FortiGateWithFortiFlexProps> = {}) =>
    synth(name, (stack) => {
      new FortiGateWithFortiFlex(stack, "Edge", {
        name,
        programSerialNumber: h.sim.seed.programSerialNumber,
        servicePackage: FortiGateServicePackage.FORTICARE,
        cpu: 2,
        resourceGroupName: `${name}-rg`,
        location: "westeurope",
        adminCidrs: ["203.0.113.0/24"],
        imageVersion: "7.6.5",
        endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
        // Drift checks are proven elsewhere; without them each plan runs fewer handler processes.
        detectDrift: false,
        ...extra,
      });
    });
  const terraform = async (dir: string, env: Record<string, string>) => {
    const tf = new Terraform(dir, env);
    await tf.init();
    return tf;
  };
  const environment = (passwordVariable: string) => ({
    ...h.sim.env(),
    FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"),
    [`TF_VAR_${passwordVariable}`]: "First-Passw0rd!",
  });
  /** The pull-request summary of a plan, reading each stand-in as the VM it stands for. */
  const summary = (stack: string, plan: PlanDocument) => {
    const asVm = (values: unknown) => (values && typeof values === "object" ? ((values as { triggers?: Record<string, string> }).triggers ?? null) : null);
    const changes = (plan as PlanJson).resource_changes?.map((rc) =>
      /^null_resource\.StandIn_/.test(rc.address)
        ? { ...rc, type: "azurerm_linux_virtual_machine", change: { ...rc.change, before: asVm(rc.change.before), after: asVm(rc.change.after) } }
        : rc,
    );
    return summarizePlan(stack, { resource_changes: changes }).notes.join("\n");
  };
  /** Applies a change expected to rebuild `vm` and checks the new boot: licensed, with a token no earlier boot had. */
  const rebuilds = async (tf: Terraform, vm: string, cause: RegExp) => {
    const before = boots(vm);
    const plan = await tf.plan();
    expect(
      Object.entries(plan.changes)
        .filter(([a]) => a.includes("StandIn_"))
        .map(([, actions]) => actions),
    ).toEqual([["delete", "create"]]);
    expect(summary(vm, plan.json)).toMatch(cause);
    const applied = await tf.apply("tfplan");
    expect(applied).toMatch(/license token already used by an earlier VM; regenerated a new one-time token for the new VM/);
    const after = boots(vm);
    expect(after).toHaveLength(before.length + 1);
    const boot = after.at(-1)!;
    expect(boot).toEqual(expect.objectContaining({ licensed: true }));
    expect(before.map((b) => b.token)).not.toContain(boot.token);
  };

  test("first boot with the new entitlement's token; no-change plans and in-place changes never regenerate it (terraform_data steps)", async () => {
    const env = environment("calm_admin_password");
    const calm = { lifecycleResource: LifecycleResourceType.TERRAFORM_DATA };
    const tf = await terraform(single("calm", calm), env);
    await tf.apply();
    expect(boots("calm-fgt")).toEqual([expect.objectContaining({ licensed: true, hostname: "calm-fgt" })]);
    const regenerations = tokenRegenerations();
    expect((await tf.plan()).changes).toEqual({});
    // More vCPUs, new tags, a new bootstrap line: the configuration changes, the VM is resized in place, the
    // running FortiGate ignores new custom data; no VM, no new token.
    single("calm", { ...calm, cpu: 4, tags: { owner: "noc" }, additionalConfig: "config system dns\n    set primary 9.9.9.9\nend" });
    const plan = await tf.plan();
    expect(Object.keys(plan.changes).filter((a) => a.includes("StandIn_") || a.includes("LicenseBoot"))).toEqual([]);
    await tf.apply("tfplan");
    expect(boots("calm-fgt")).toHaveLength(1);
    expect(tokenRegenerations()).toBe(regenerations);
    expect(h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "calm/Edge/Entitlement")).toEqual(
      expect.objectContaining({ status: "ACTIVE", tokenStatus: "USED" }),
    );
  });

  test("each cause of a new VM boots it with an unused token: password, image, zone, architecture, token generation", async () => {
    const env = environment("busy_admin_password");
    const tf = await terraform(single("busy"), env);
    await tf.apply();
    expect(boots("busy-fgt")).toEqual([expect.objectContaining({ licensed: true })]);

    env.TF_VAR_busy_admin_password = "Second-Passw0rd!";
    await rebuilds(
      tf,
      "busy-fgt",
      /FortiGate busy-fgt rebuilt\*\* \(null_resource\.Edge_FortiGate_LicenseBoot\): admin_password changes; the new VM boots with an unused license token/,
    );

    single("busy", { imageVersion: "7.6.6" });
    await rebuilds(tf, "busy-fgt", /rebuilt\*\* .*: image changes/);

    single("busy", { imageVersion: "7.6.6", availabilityZone: "2" });
    await rebuilds(tf, "busy-fgt", /rebuilt\*\* .*: zone changes/);

    // Another size family on ARM: a new image (SKU and plan), so a new VM.
    single("busy", { imageVersion: "7.6.6", availabilityZone: "2", architecture: "arm64" as never, vmSize: "Standard_D2ps_v6", cpu: undefined });
    await rebuilds(tf, "busy-fgt", /rebuilt\*\* .*: image changes, plan changes/);

    single("busy", {
      imageVersion: "7.6.6",
      availabilityZone: "2",
      architecture: "arm64" as never,
      vmSize: "Standard_D2ps_v6",
      cpu: undefined,
      tokenGeneration: 1,
    });
    const regenerations = tokenRegenerations();
    await tf.apply();
    const last = boots("busy-fgt");
    expect(last).toHaveLength(6);
    expect(last.every((b) => b.licensed)).toBe(true);
    expect(new Set(last.map((b) => b.token)).size).toBe(6);
    // The generation step made the new token; the boot step found it unused and kept it.
    expect(tokenRegenerations()).toBe(regenerations + 1);
  });

  test("with rebuildOnCustomDataChange a new bootstrap rebuilds the VM with an unused token; a token regenerated elsewhere rebuilds nothing", async () => {
    const env = environment("conf_admin_password");
    const tf = await terraform(single("conf", { rebuildOnCustomDataChange: true }), env);
    await tf.apply();
    single("conf", { rebuildOnCustomDataChange: true, additionalConfig: "config system dns\n    set primary 9.9.9.9\nend" });
    await rebuilds(tf, "conf-fgt", /FortiGate conf-fgt rebuilt\*\* .*: custom_data changes;/);
    const entitlement = h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "conf/Edge/Entitlement")!;
    await h.client.regenerateToken(entitlement.serialNumber);
    expect((await tf.plan()).changes).toEqual({});
  });

  test("a boot step that fails after its regeneration committed is tainted; the next apply boots the VM with that unused token", async () => {
    const env = environment("flaky_admin_password");
    const tf = await terraform(single("flaky"), env);
    await tf.apply();
    env.TF_VAR_flaky_admin_password = "Second-Passw0rd!";
    // FortiFlex regenerates the token, but the answer is lost: the handler cannot know, and fails.
    h.sim.faults.set([{ operation: "entitlements/vm/token", kind: "commit-then-drop", times: 1 }]);
    const failed = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    h.sim.faults.set([]);
    expect(failed.exitCode).toBe(1);
    expect(await tf.tainted()).toEqual(["null_resource.Edge_FortiGate_LicenseBoot"]);
    expect(boots("flaky-fgt")).toHaveLength(1);
    const entitlement = () => h.sim.world.state.entitlements.filter((e) => keyOf(e.description) === "flaky/Edge/Entitlement");
    expect(entitlement()).toEqual([expect.objectContaining({ status: "ACTIVE", tokenStatus: "NOTUSED" })]);
    const plan = await tf.plan();
    expect(summary("flaky", plan.json)).toMatch(/FortiGate flaky-fgt rebuilt\*\* .*: its boot step is tainted;/);
    const regenerations = tokenRegenerations();
    expect(await tf.apply("tfplan")).toMatch(/license token unused, the new VM boots with it/);
    expect(tokenRegenerations()).toBe(regenerations);
    expect(boots("flaky-fgt")).toEqual([expect.objectContaining({ licensed: true }), expect.objectContaining({ licensed: true })]);
    expect(entitlement()).toEqual([expect.objectContaining({ status: "ACTIVE", tokenStatus: "USED" })]);
  });

  test("destroy then apply: the stopped entitlement is reactivated and the new VM gets a new token", async () => {
    const env = environment("again_admin_password");
    const tf = await terraform(single("again"), env);
    await tf.apply();
    await tf.destroy();
    expect(h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "again/Edge/Entitlement")).toEqual(
      expect.objectContaining({ status: "STOPPED", tokenStatus: "USED" }),
    );
    const applied = await tf.apply();
    expect(applied).toMatch(/reactivated[\s\S]*license token already used by an earlier VM; regenerated/);
    expect(boots("again-fgt")).toEqual([expect.objectContaining({ licensed: true }), expect.objectContaining({ licensed: true })]);
    expect(new Set(boots("again-fgt").map((b) => b.serial)).size).toBe(1);
  });

  test("a VM replaced on its own would boot unlicensed: the plan summary says so and how to rebuild it right", async () => {
    const env = environment("alone_admin_password");
    const dir = single("alone");
    const tf = await terraform(dir, env);
    await tf.apply();
    const [vm] = standIns.get(dir)!;
    const plan = await tf.plan(`-replace=${vm}`);
    const note = summary("alone", plan.json);
    expect(note).toMatch(
      /\*\*FortiGate alone-fgt may boot UNLICENSED\*\* .*rebuild it with `terraform apply -replace=null_resource\.Edge_FortiGate_LicenseBoot` instead/,
    );
    // What that note warns of: the stand-in boots with the used token and fails.
    const res = await tf.run(["apply", "-auto-approve", "-input=false", `-replace=${vm}`], { allowFailure: true });
    expect(res.exitCode).toBe(1);
    expect(boots("alone-fgt").at(-1)).toEqual(expect.objectContaining({ licensed: false, error: "License token was already used." }));
    // The way the note gives: replacing the boot step rebuilds the VM with a new token.
    const boot = /-replace=(null_resource\.Edge_FortiGate_LicenseBoot)/.exec(note)![1];
    await tf.apply(`-replace=${boot}`);
    expect(boots("alone-fgt").at(-1)).toEqual(expect.objectContaining({ licensed: true }));
  });

  test("an HA pair: each unit boots with its own entitlement's token, and a new HA password rebuilds both with new ones", async () => {
    const env = { ...environment("pair_admin_password"), TF_VAR_ha_password: "First-HA-secret" };
    const build = () =>
      synth("pair", (stack) => {
        const haPassword = new TerraformVariable(stack, "ha_password", { type: "string", sensitive: true });
        new FortiGateHaPairWithFortiFlex(stack, "Pair", {
          haPassword: haPassword.stringValue,
          rebuildOnCustomDataChange: true,
          name: "pair",
          programSerialNumber: h.sim.seed.programSerialNumber,
          servicePackage: FortiGateServicePackage.FORTICARE,
          cpu: 8,
          resourceGroupName: "pair-rg",
          location: "westeurope",
          adminCidrs: ["203.0.113.0/24"],
          availabilityZones: ["1", "2"],
          endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
          detectDrift: false,
        });
      });
    const tf = await terraform(build(), env);
    await tf.apply();
    const first = [...boots("pair-fgt-a"), ...boots("pair-fgt-b")];
    expect(first.map((b) => [b.hostname, b.licensed])).toEqual([
      ["pair-fgt-a", true],
      ["pair-fgt-b", true],
    ]);
    expect(first[0].serial).not.toBe(first[1].serial);
    // A new HA password changes both units' bootstrap: both rebuilt, each with a new token.
    env.TF_VAR_ha_password = "Second-HA-secret";
    const plan = await tf.plan();
    expect(summary("pair", plan.json).match(/rebuilt\*\* \([^)]*\): ha_password changes;/g)).toHaveLength(2);
    await tf.apply("tfplan");
    const all = [...boots("pair-fgt-a"), ...boots("pair-fgt-b")];
    expect(all).toHaveLength(4);
    expect(all.every((b) => b.licensed)).toBe(true);
    expect(new Set(all.map((b) => b.token)).size).toBe(4);
  });
});
