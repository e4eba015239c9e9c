import * as fs from "node:fs";
import * as path from "node:path";
import { FortiFlexVmEntitlement } from "../../constructs";
import { FortiFlexRuntime } from "../../constructs/private/fortiflex-runtime";
import { LifecycleResourceType } from "../../constructs/lifecycle-resource-type";
import { stackDigest } from "../../gitops/stack-digest";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { joinedRegExp } from "../helpers/joined-regexp";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * The plan job's record, the drift report and the merge guard on `terraform show -json` of real plans (the
 * other suites build plan JSON by hand): a FortiFlex-only stack applied against the simulator.
 */
describeWithTerraform("GitOps scripts on real plans", () => {
  let h: Harness;
  let scripts: GitopsScripts;
  beforeAll(async () => {
    h = await startHarness();
    scripts = new GitopsScripts();
  });
  afterAll(async () => {
    await h.close();
    scripts.remove();
  });

  const synth = (withEntitlement: boolean, out = "out") =>
    synthTerraformStack(
      "acme",
      (stack) => {
        const config = simulatorConfiguration(stack, h.sim, { accountId: h.sim.seed.memberAccountIds[0] });
        if (withEntitlement) new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: "edge" });
      },
      path.join(h.tmp, out),
    );
  /** The digest of the stack directory as synth writes it (the working directory has Terraform's files too). */
  const digestOf = (withEntitlement: boolean) => stackDigest(synth(withEntitlement, `fresh-${String(withEntitlement)}`)).digest;
  const planFile = async (tf: Terraform, name: string, ...extra: string[]) => {
    const file = path.join(h.tmp, name);
    fs.writeFileSync(file, JSON.stringify((await tf.plan(...extra)).json));
    return file;
  };

  test("an entitlement stopped in the portal is drift; removing it from the code later is a stop the reviewed plan did not have", async () => {
    const tf = new Terraform(synth(true), { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache") });
    await tf.init();
    await tf.apply();
    const [entitlement] = h.sim.world.state.entitlements;
    await h.client.stopEntitlement(entitlement.serialNumber);

    const digest = digestOf(true);
    const recorded = scripts.run("plan-record", ["acme", await planFile(tf, "reviewed-plan.json"), "--digest", digest]);
    expect(recorded.status).toBe(0);
    const record = JSON.parse(recorded.stdout);
    // The settings step repairs: Terraform shows its replacement; nothing is destroyed, so nothing is destructive.
    const repair = "null_resource.Fw_Settings";
    expect(record).toEqual({
      stack: "acme",
      add: 1,
      change: 0,
      destroy: 1,
      notes: ["drift repaired (null_resource.Fw_Settings): status STOPPED (want ACTIVE)"],
      digest,
      mode: "apply",
      changes: [{ address: repair, action: "replace" }],
      destructive: [],
      drift: { fortiflex: [{ address: repair, drift: "status STOPPED (want ACTIVE)" }], azure: [], pending: [] },
    });
    fs.mkdirSync(path.join(h.tmp, "records"));
    fs.writeFileSync(path.join(h.tmp, "records", "acme.json"), recorded.stdout);
    const drift = scripts.run("drift-report", ['["acme"]', path.join(h.tmp, "records"), "https://github.com/o/r/actions/runs/1"]);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain("| acme | null_resource.Fw_Settings | status STOPPED (want ACTIVE) |");

    // The code drops the entitlement after that review: the directory is not the reviewed one.
    synth(false);
    const fresh = await planFile(tf, "fresh-plan.json");
    const moved = scripts.run("plan-guard", [path.join(h.tmp, "records", "acme.json"), fresh, "--stack", "acme", "--digest", digestOf(false)]);
    expect(moved.status).toBe(1);
    expect(moved.stderr).toMatch(/^plan-guard: acme: the directory being applied \(sha256 [0-9a-f]{64}\) is not the one whose plan was reviewed/);
    // Even if the directory were the reviewed one, that plan stops what the review did not.
    const guard = scripts.run("plan-guard", [path.join(h.tmp, "records", "acme.json"), fresh, "--stack", "acme", "--digest", digest]);
    expect(guard.status).toBe(1);
    expect(guard.stderr.split("\n").filter((l) => l.startsWith("  - "))).toEqual([
      expect.stringMatching(/^ {2}- Terraform replaces null_resource\.FortiFlexRuntime_Reconcile\[0\] \(replace_because_cannot_update\)$/),
      expect.stringMatching(
        joinedRegExp(
          /^ {2}- FortiFlex object acme\/Fw \(account 1525960\) is stopped\/disabled: /,
          /no longer declared \(null_resource\.FortiFlexRuntime_Reconcile\[0\]\)$/,
        ),
      ),
      expect.stringMatching(/^ {2}- Terraform destroys null_resource\.Fw_Lifecycle \(delete_because_no_resource_config\)$/),
    ]);
    expect(guard.stderr).toContain("Reviewed in the pull request:\n  (none)\n");
  });

  test(
    "the premature retirement: a customer removed after a decommission nobody applied is refused with " +
      "its pending changes; once applied, the destroy empties its state",
    async () => {
      const account = h.sim.seed.memberAccountIds[0];
      const build = (out: string, decommissioned: boolean) =>
        synthTerraformStack(
          "gone",
          (stack) => {
            if (decommissioned) {
              // What CustomerStack synthesizes for `decommission: true`.
              FortiFlexRuntime.of(stack).ownerOf(
                { program_serial_number: h.sim.seed.programSerialNumber, account_id: String(account), api_url: h.sim.apiUrl, auth_url: h.sim.authUrl },
                LifecycleResourceType.NULL_RESOURCE,
              );
            } else {
              new FortiFlexVmEntitlement(stack, "Fw", { configuration: simulatorConfiguration(stack, h.sim, { accountId: account }), description: "edge" });
            }
          },
          path.join(h.tmp, out),
        );
      const tf = new Terraform(build("gone", false), { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache") });
      await tf.init();
      await tf.apply();
      const live = () => h.sim.world.state.entitlements.filter((e) => (e.description ?? "").includes("[ffx:gone/") && e.status !== "STOPPED");
      expect(live()).toHaveLength(1);

      // The decommission is merged but never applied; a second pull request removes the entry: the base's
      // directory (decommissioned) is planned as the plan job plans a retired stack.
      const digest = stackDigest(build("gone-fresh", true)).digest;
      build("gone", true);
      const record = async () => {
        const ordinary = await planFile(tf, "gone-ordinary.json");
        const destroy = await planFile(tf, "gone-destroy.json", "-destroy");
        const res = scripts.run("plan-record", ["gone", destroy, "--digest", digest, "--retirement", ordinary]);
        expect(res.status).toBe(0);
        fs.writeFileSync(path.join(h.tmp, "gone-record.json"), res.stdout);
        return { record: JSON.parse(res.stdout), ordinary, destroy };
      };
      const premature = await record();
      expect(premature.record.mode).toBe("destroy");
      expect(premature.record.retirement.pending).toEqual(expect.arrayContaining([{ address: "null_resource.Fw_Lifecycle", action: "delete" }]));
      const refused = scripts.run("plan-guard", [
        path.join(h.tmp, "gone-record.json"),
        premature.destroy,
        "--stack",
        "gone",
        "--digest",
        digest,
        "--retirement",
        premature.ordinary,
      ]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("plan-guard: gone: the customer is not fully decommissioned, so its state cannot be retired; not applying.");
      expect(live()).toHaveLength(1);

      // The decommission applied: nothing is pending, the destroy plan is the retirement, and it empties the state.
      await tf.apply();
      expect(live()).toEqual([]);
      const clean = await record();
      expect(clean.record.retirement.pending).toEqual([]);
      expect(clean.record.destructive.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([`namespace gone (account ${account})`]));
      const allowed = scripts.run("plan-guard", [
        path.join(h.tmp, "gone-record.json"),
        clean.destroy,
        "--stack",
        "gone",
        "--digest",
        digest,
        "--retirement",
        clean.ordinary,
      ]);
      expect(allowed.status).toBe(0);
      await tf.run(["apply", "-input=false", "tfplan"]);
      expect(JSON.parse((await tf.run(["show", "-json"])).stdout).values).toBeUndefined();
    },
  );
});
