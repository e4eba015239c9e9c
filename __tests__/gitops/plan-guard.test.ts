import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { destructiveActions } from "../../gitops/destructive-actions";
import { extraDestructive, guard } from "../../gitops/plan-guard";
import { recordOf } from "../../gitops/plan-record";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, DIGEST, plan, triggers, writeJson } from "../helpers/plan-json";

const ids = (p: ReturnType<typeof plan>) => destructiveActions(p).map((a) => a.id);

describe("destructive actions of a plan", () => {
  test("a lifecycle replaced for a new identity: Terraform replaces it and FortiFlex stops the old object", () => {
    const p = plan([
      change(CONTOSO.entitlementLifecycle, ["delete", "create"], triggers.entitlement(), triggers.entitlement("contoso/FortiGate/Entitlement2")),
    ]);
    expect(destructiveActions(p)).toEqual([
      {
        id: `terraform ${CONTOSO.entitlementLifecycle}`,
        description: `Terraform replaces ${CONTOSO.entitlementLifecycle}`,
        address: CONTOSO.entitlementLifecycle,
      },
      {
        id: "fortiflex contoso/FortiGate/Entitlement (account 1525960)",
        description: `FortiFlex entitlement contoso/FortiGate/Entitlement (account 1525960) is stopped/disabled: ${CONTOSO.entitlementLifecycle} is replaced`,
        address: CONTOSO.entitlementLifecycle,
      },
    ]);
  });

  test("a tainted lifecycle stops nothing (a failed apply can be retried); one removed from the code is stopped by the reconcile step", () => {
    const tainted = plan([
      change(CONTOSO.entitlementLifecycle, ["delete", "create"], triggers.entitlement(), triggers.entitlement(), { action_reason: "replace_because_tainted" }),
    ]);
    expect(ids(tainted)).toEqual([]);
    const removed = plan([
      change(CONTOSO.entitlementLifecycle, ["delete"], triggers.entitlement(), null, { action_reason: "delete_because_no_resource_config" }),
      change(
        CONTOSO.reconcile,
        ["delete", "create"],
        triggers.reconcile(["contoso/FortiGate/Entitlement", "contoso/FortiGate/FortiFlexConfig"]),
        triggers.reconcile(["contoso/FortiGate/FortiFlexConfig"]),
      ),
    ]);
    expect(ids(removed)).toEqual([
      `terraform ${CONTOSO.entitlementLifecycle}`,
      `terraform ${CONTOSO.reconcile}`,
      "fortiflex contoso/FortiGate/Entitlement (account 1525960)",
    ]);
  });

  test("an entitlement's status set to STOPPED is a stop; other settings, drift repairs and reads are not destructive", () => {
    const p = plan([
      change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()),
      change(CONTOSO.entitlementSettings, ["delete", "create"], triggers.entitlementSettings("ACTIVE"), triggers.entitlementSettings("STOPPED")),
      change(CONTOSO.configSettings, ["delete", "create"], { triggers: { parameters: "1=2" } }, { triggers: { parameters: "1=4" } }),
      change(CONTOSO.entitlementDriftRepair, ["delete"], { triggers: { drift: "status STOPPED (want ACTIVE)" } }, null),
      change(CONTOSO.observe, ["read"], null, {}),
    ]);
    expect(destructiveActions(p).map((a) => a.description)).toEqual([
      `FortiFlex entitlement contoso/FortiGate/Entitlement (account 1525960) is stopped: its status setting becomes STOPPED (${CONTOSO.entitlementSettings})`,
    ]);
  });

  test("the owner step: destroyed or replaced stops the namespace; removed from the code it stops nothing", () => {
    expect(ids(plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null)]))).toEqual([
      `terraform ${CONTOSO.owner}`,
      "namespace contoso (account 1525960)",
    ]);
    expect(ids(plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null, { action_reason: "delete_because_no_resource_config" })]))).toEqual([
      `terraform ${CONTOSO.owner}`,
    ]);
  });

  test("a drift repair that restores a declared STOPPED status stops the entitlement someone reactivated", () => {
    const p = plan([
      change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()),
      change(CONTOSO.entitlementDriftRepair, ["create"], null, { triggers: { lifecycle: "4711", drift: "status ACTIVE (want STOPPED)" } }),
      change(CONTOSO.configDriftRepair, ["create"], null, { triggers: { lifecycle: "4712", drift: "status DISABLED (want ACTIVE)" } }),
    ]);
    expect(destructiveActions(p)).toEqual([
      {
        id: "fortiflex contoso/FortiGate/Entitlement (account 1525960)",
        description:
          `FortiFlex entitlement contoso/FortiGate/Entitlement (account 1525960) is stopped: a drift repair ` +
          `restores its declared status STOPPED (${CONTOSO.entitlementDriftRepair})`,
        address: CONTOSO.entitlementDriftRepair,
      },
    ]);
  });

  test("the settle step: a duplicate it stops is the stack's own extra, a live object no longer declared is a stop", () => {
    const strays = "duplicate entitlement FGVM2 of contoso/FortiGate/Entitlement (keeps FGVM1); entitlement FGVM3 of contoso/Old live, not declared";
    const p = plan([change(CONTOSO.settle, ["create"], null, { triggers: { account_id: "1525960", strays } })]);
    expect(destructiveActions(p)).toEqual([
      {
        id: "fortiflex contoso/Old (account 1525960)",
        description: `FortiFlex entitlement contoso/Old (account 1525960) is stopped/disabled: live but no longer declared (${CONTOSO.settle})`,
        address: CONTOSO.settle,
      },
    ]);
    // The settle marker leaving the state (nothing astray any more) runs nothing.
    expect(ids(plan([change(CONTOSO.settle, ["delete"], { triggers: { account_id: "1525960", strays } }, null)]))).toEqual([]);
  });

  test("the same stop reached another way is the same action; anything else is extra", () => {
    const viaLifecycle = destructiveActions(plan([change(CONTOSO.entitlementLifecycle, ["delete"], triggers.entitlement(), null)]));
    const viaReconcile = destructiveActions(
      plan([change(CONTOSO.reconcile, ["delete", "create"], triggers.reconcile(["contoso/FortiGate/Entitlement"]), triggers.reconcile([]))]),
    );
    expect(extraDestructive(viaLifecycle, viaReconcile).map((a) => a.id)).toEqual([`terraform ${CONTOSO.reconcile}`]);
    expect(extraDestructive(viaReconcile, viaReconcile)).toEqual([]);
  });

  test("the guard: a failed reviewed plan reviewed nothing", () => {
    expect(guard({ stack: "contoso", failed: "terraform plan failed" }, { stack: "contoso", digest: DIGEST, fresh: plan([]) })).toMatchObject({
      apply: false,
      message: expect.stringContaining("the pull request's plan failed (terraform plan failed), so no plan of it was reviewed"),
    });
  });
});

describe("plan-guard, run as the apply job runs it", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-guard-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** What the apply job passes: the stack it applies and the digest of the directory it applies. */
  const applying = ["--stack", "contoso", "--digest", DIGEST];

  // The pull request rebuilt the VM and moved the entitlement to a new key (stopping the old one).
  const reviewedChanges = [
    change(CONTOSO.vm, ["delete", "create"], { name: "contoso-fgt" }, { name: "contoso-fgt" }, { action_reason: "replace_by_triggers" }),
    change(CONTOSO.entitlementLifecycle, ["delete", "create"], triggers.entitlement(), triggers.entitlement("contoso/FortiGate/Entitlement2")),
    change(CONTOSO.nsgRule, ["update"], { priority: 100 }, { priority: 110 }),
  ];

  /** The reviewed record as the plan job writes it: plan-record on the pull request's plan JSON. */
  const reviewedRecord = () => {
    const res = scripts.run("plan-record", ["contoso", writeJson(tmp, "pr-plan.json", plan(reviewedChanges)), "--digest", DIGEST]);
    expect(res).toMatchObject({ status: 0, stderr: "" });
    return writeJson(tmp, "contoso.json", JSON.parse(res.stdout));
  };

  test("the same destructive actions (and less) apply", () => {
    const reviewed = reviewedRecord();
    const same = scripts.run("plan-guard", [reviewed, writeJson(tmp, "fresh-same.json", plan(reviewedChanges)), ...applying]);
    expect(same.status).toBe(0);
    expect(same.stdout).toBe(
      `plan-guard: contoso: the directory is the reviewed one (sha256 ${DIGEST}) and the fresh plan ` +
        `changes, stops, disables or destroys nothing beyond the reviewed plan (3 change(s), 3 destructive ` +
        `action(s), all reviewed)\n`,
    );
    const less = scripts.run("plan-guard", [reviewed, writeJson(tmp, "fresh-less.json", plan([reviewedChanges[2]])), ...applying]);
    expect(less.status).toBe(0);
  });

  test("more is refused, each extra destructive action listed", () => {
    const fresh = plan([
      ...reviewedChanges,
      change(CONTOSO.publicIp, ["delete"], { name: "contoso-fgt-pip" }, null),
      change(CONTOSO.configLifecycle, ["no-op"], triggers.config(), triggers.config()),
      change(
        CONTOSO.reconcile,
        ["delete", "create"],
        triggers.reconcile(["contoso/FortiGate/Entitlement", "contoso/FortiGate/FortiFlexConfig"]),
        triggers.reconcile(["contoso/FortiGate/Entitlement2"]),
      ),
      change(CONTOSO.owner, ["delete", "create"], triggers.owner(), triggers.owner(), { action_reason: "replace_by_request" }),
    ]);
    const res = scripts.run("plan-guard", [reviewedRecord(), writeJson(tmp, "fresh-more.json", fresh), ...applying]);
    expect(res.status).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(
      [
        "plan-guard: contoso: the fresh plan stops, disables or destroys 5 thing(s) that the reviewed plan did not; not applying.",
        "Not reviewed:",
        `  - Terraform destroys ${CONTOSO.publicIp}`,
        `  - Terraform replaces ${CONTOSO.reconcile}`,
        `  - FortiFlex object contoso/FortiGate/FortiFlexConfig (account 1525960) is stopped/disabled: no longer declared (${CONTOSO.reconcile})`,
        `  - Terraform replaces ${CONTOSO.owner} (replace_by_request)`,
        `  - everything left in FortiFlex namespace contoso (account 1525960) is stopped/disabled: ${CONTOSO.owner} is replaced`,
        "Reviewed in the pull request:",
        `  - Terraform replaces ${CONTOSO.vm} (replace_by_triggers)`,
        `  - Terraform replaces ${CONTOSO.entitlementLifecycle}`,
        `  - FortiFlex entitlement contoso/FortiGate/Entitlement (account 1525960) is stopped/disabled: ${CONTOSO.entitlementLifecycle} is replaced`,
        "Drift since the review, or a rotated FortiGate admin password, can cause this: open a pull request so that a reviewer sees the plan as it is now.",
        "",
      ].join("\n"),
    );
  });

  test("a failed reviewed plan is refused; unreadable input is a usage error", () => {
    const failed = scripts.run("plan-record", ["--failed", "contoso", "terraform plan failed: see the log"]);
    expect(failed.status).toBe(0);
    const res = scripts.run("plan-guard", [
      writeJson(tmp, "failed.json", JSON.parse(failed.stdout)),
      writeJson(tmp, "fresh-empty.json", plan([])),
      ...applying,
    ]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /^plan-guard: contoso: the pull request's plan failed \(terraform plan failed: see the log\), so no plan of it was reviewed; not applying/,
    );
    const notPlan = scripts.run("plan-guard", [reviewedRecord(), writeJson(tmp, "not-a-plan.json", { resource_changes: [] }), ...applying]);
    expect(notPlan).toMatchObject({ status: 2, stderr: expect.stringContaining("not the output of terraform show -json <saved plan> (no format_version)") });
    const notRecord = scripts.run("plan-guard", [
      writeJson(tmp, "not-a-record.json", { stack: "contoso", add: 1 }),
      writeJson(tmp, "fresh-empty2.json", plan([])),
      ...applying,
    ]);
    expect(notRecord).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("plan record of contoso lacks counts, digest, changes, notes, destructive actions or drift"),
    });
    expect(scripts.run("plan-guard", [writeJson(tmp, "r.json", {}), writeJson(tmp, "p.json", plan([]))]).status).toBe(2);
    expect(scripts.run("plan-guard", ["only-one"]).status).toBe(2);
  });

  test("the record keeps no values from the plan", () => {
    const secret = "S3cret-admin-Passw0rd";
    const record = recordOf(
      "contoso",
      plan(
        [
          change(
            CONTOSO.vm,
            ["delete", "create"],
            { name: "contoso-fgt", admin_password: secret, custom_data: secret },
            { name: "contoso-fgt", admin_password: secret },
          ),
        ],
        [change(CONTOSO.vm, ["update"], { admin_password: secret, tags: { a: secret } }, { admin_password: `${secret}2`, tags: { a: "x" } })],
      ),
      DIGEST,
    );
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(record.drift.azure).toEqual([{ address: CONTOSO.vm, deleted: false, attributes: ["admin_password", "tags.a"] }]);
  });
});

/** Attacks on the merge guard's input: records a runner that ran the change's own Terraform could have written. */
describe("the guard believes no record it cannot check", () => {
  const everything = [
    change(CONTOSO.owner, ["delete"], triggers.owner(), null),
    change(CONTOSO.vm, ["delete"], { name: "contoso-fgt" }, null),
    change(CONTOSO.entitlementLifecycle, ["delete"], triggers.entitlement(), null),
  ];
  const honest = recordOf("contoso", plan([change(CONTOSO.nsgRule, ["update"], { priority: 100 }, { priority: 110 })]), DIGEST);
  const apply = (reviewed: Parameters<typeof guard>[0], fresh = plan(everything), extra: Partial<Parameters<typeof guard>[1]> = {}) =>
    guard(reviewed, { stack: "contoso", digest: DIGEST, fresh, ...extra });

  test("a forged record: its destructive list names everything while its counts and notes say nothing changed", () => {
    const forged = { ...honest, destructive: recordOf("contoso", plan(everything), DIGEST).destructive };
    const verdict = apply(forged);
    expect(verdict.apply).toBe(false);
    expect(verdict.message).toContain("the reviewed record contradicts itself, so it cannot say what was reviewed; not applying.");
    expect(verdict.message).toContain(`names ${CONTOSO.owner}, which the plan does not change`);
    // Consistent counts but changes that do not destroy what its Terraform destroys are refused too.
    const relabelled = { ...forged, add: 0, change: 3, destroy: 0, changes: everything.map((c) => ({ address: c.address, action: "update" })) };
    expect(apply(relabelled).message).toContain(`names ${CONTOSO.vm}, which the plan does not destroy (update)`);
    // The same record made honestly passes: what was reviewed is what it lists.
    expect(apply(recordOf("contoso", plan(everything), DIGEST)).apply).toBe(true);
  });

  test("a create or an update the review did not have is refused too: a record showing nothing cannot let the apply add anything", () => {
    const backdoor = plan([
      change("azurerm_role_assignment.Backdoor", ["create"], null, { principal_id: "x" }),
      change(CONTOSO.nsgRule, ["update"], { source_address_prefix: "203.0.113.0/24" }, { source_address_prefix: "*" }),
    ]);
    const nothing = recordOf("contoso", plan([]), DIGEST);
    const verdict = apply(nothing, backdoor);
    expect(verdict.apply).toBe(false);
    expect(verdict.message).toBe(
      `plan-guard: contoso: the fresh plan changes 2 thing(s) that the reviewed plan did not: ` +
        `azurerm_role_assignment.Backdoor (create), ${CONTOSO.nsgRule} (update); not applying.\nDrift since ` +
        `the review, or a change merged after it, can cause this: open a pull request so that a reviewer ` +
        `sees the plan as it is now.`,
    );
    // The same action at the same address was reviewed: applied. A FortiFlex drift repair is no change of the code's.
    expect(apply(recordOf("contoso", backdoor, DIGEST), backdoor).apply).toBe(true);
    expect(
      apply(nothing, plan([change(CONTOSO.entitlementDriftRepair, ["create"], null, { triggers: { lifecycle: "1", drift: "status STOPPED (want ACTIVE)" } })]))
        .apply,
    ).toBe(true);
  });

  test("a record of another stack, or of another directory, is refused", () => {
    expect(apply({ ...honest, stack: "fabrikam" }).message).toBe('plan-guard: contoso: the reviewed record is of stack "fabrikam", not contoso; not applying.');
    const moved = apply(honest, plan([]), { digest: "6".repeat(64) });
    expect(moved.apply).toBe(false);
    expect(moved.message).toContain(`the directory being applied (sha256 ${"6".repeat(64)}) is not the one whose plan was reviewed (sha256 ${DIGEST})`);
  });

  test("a retirement applies only what its review found: a decommission not applied is refused, then and now", () => {
    const destroyPlan = plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null), change(CONTOSO.reconcile, ["delete"], triggers.reconcile([]), null)]);
    const pending = plan([
      change(CONTOSO.vm, ["delete"], { name: "contoso-fgt" }, null),
      change(CONTOSO.entitlementLifecycle, ["delete"], triggers.entitlement(), null),
    ]);
    const premature = recordOf("contoso", destroyPlan, DIGEST, pending);
    expect(premature.retirement?.pending).toEqual([
      { address: CONTOSO.vm, action: "delete" },
      { address: CONTOSO.entitlementLifecycle, action: "delete" },
    ]);
    const refused = apply(premature, destroyPlan, { retirement: plan([]) });
    expect(refused.apply).toBe(false);
    expect(refused.message).toContain(
      "the customer is not fully decommissioned, so its state cannot be retired; not applying.\nPending " +
        "when it was reviewed:\n  - azurerm_linux_virtual_machine.FortiGate_Vm_F9EAD84F: delete",
    );
    const clean = recordOf("contoso", destroyPlan, DIGEST, plan([]));
    expect(apply(clean, destroyPlan, { retirement: pending }).message).toContain("Pending now:");
    expect(apply(clean, destroyPlan, { retirement: plan([]) }).apply).toBe(true);
    // A review of an ordinary plan does not let the apply retire, nor the other way round.
    expect(apply(honest, destroyPlan, { retirement: plan([]) }).message).toContain("this apply retires the customer, but the review was of an ordinary plan");
    expect(apply(clean, plan([])).message).toContain("the review was of a retirement (a destroy plan), this apply is not");
  });
});
