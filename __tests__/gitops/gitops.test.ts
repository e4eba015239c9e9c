import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedStacks } from "../../gitops/changed-stacks";
import { stackDigest } from "../../gitops/stack-digest";
import { summarizePlan } from "../../gitops/plan-summary";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, triggers } from "../helpers/plan-json";

/** The pieces of the GitOps workflow that run outside GitHub: change detection and the plan summary (the other scripts: the other tests of this folder). */
describe("changed stacks", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-gitops-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const out = (name: string, stacks: Record<string, string>) => {
    for (const [stack, text] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(tmp, name, "stacks", stack), { recursive: true });
      fs.writeFileSync(path.join(tmp, name, "stacks", stack, "cdk.tf.json"), text);
    }
    return path.join(tmp, name);
  };
  const digestOf = (text: string) => stackDigest(out(`one-${Math.random()}`, { s: text }) + "/stacks/s").digest;
  const pick = (c: ReturnType<typeof changedStacks>) => ({
    changed: c.changed,
    added: c.added,
    removed: c.removed,
    retired: c.retired,
    unchanged: c.unchanged,
    localState: c.localState,
  });

  test("changed, added, removed and unchanged stacks, each planned stack with its digest and the files that differ", () => {
    const base = out("base", { a: '{"v":1}', b: '{"v":2}', c: '{"v":3}' });
    const head = out("head", { a: '{"v":1}', b: '{"v":"2 changed"}', d: '{"v":4}' });
    const result = changedStacks(base, head);
    expect(pick(result)).toEqual({ changed: ["b"], added: ["d"], removed: ["c"], retired: [], unchanged: 1, localState: ["b", "d"] });
    expect(result.digests).toEqual({ b: digestOf('{"v":"2 changed"}'), d: digestOf('{"v":4}') });
    expect(result.files).toEqual({ b: ["cdk.tf.json"] });
    expect(result.problems).toEqual([]);
  });

  test("a missing base (first run) makes every stack new", () => {
    expect(pick(changedStacks(path.join(tmp, "nothing"), out("head2", { a: '{"v":1}' })))).toEqual({
      changed: [],
      added: ["a"],
      removed: [],
      retired: [],
      unchanged: 0,
      localState: ["a"],
    });
  });

  test("a customer removed after its decommission is retired (planned from the base's directory), not refused", () => {
    const retired = JSON.stringify({
      terraform: { backend: { azurerm: {} } },
      provider: { azurerm: [{}] },
      resource: {
        null_resource: {
          FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960: { triggers: { kind: "namespace" } },
          FortiFlexRuntime_Reconcile: { triggers: "${merge(local.FortiFlexRuntime_ReconcileTriggers, false ? {} : {})}" },
        },
      },
      locals: { FortiFlexRuntime_ReconcileTriggers: { declared: "[]" } },
    });
    const active = JSON.stringify({
      resource: {
        null_resource: {
          FortiFlexRuntime_Reconcile: { triggers: "${merge(local.FortiFlexRuntime_ReconcileTriggers, false ? {} : {})}" },
          Fw_Lifecycle: {},
        },
      },
      locals: { FortiFlexRuntime_ReconcileTriggers: { declared: '["x/Fw@0"]' } },
    });
    const result = changedStacks(out("base4", { gone: retired, live: active }), out("head4", {}));
    expect([result.removed, result.retired]).toEqual([["live"], ["gone"]]);
    expect(result.digests).toEqual({ gone: digestOf(retired) });
  });

  test("the changes job's command line: JSON on stdout; a usage error without two outputs", () => {
    const scripts = new GitopsScripts();
    try {
      const remote = JSON.stringify({ terraform: { backend: { azurerm: { key: "r.tfstate" } } } });
      const res = scripts.run("changed-stacks", [out("base5", { a: remote, b: remote }), out("head5", { a: remote, b: `${remote} `, c: remote })]);
      expect(res).toMatchObject({ status: 0, stderr: "" });
      expect(pick(JSON.parse(res.stdout))).toEqual({ changed: ["b"], added: ["c"], removed: [], retired: [], unchanged: 1, localState: [] });
      expect(scripts.run("changed-stacks", [tmp])).toEqual({ status: 2, stdout: "", stderr: "usage: changed-stacks <base cdktf.out> <head cdktf.out>\n" });
    } finally {
      scripts.remove();
    }
  });

  test("a directory whose name is not a stack name is refused (names reach shell loops, matrices and artifact names)", () => {
    const head = out("head-names", { ok: "{}", "a b": "{}", "$(id)": "{}", "-rf": "{}" });
    expect(changedStacks(out("base-names", {}), head).problems).toEqual([
      '"$(id)" (head): not a stack name (letters, digits, "-" and "_", at most 64)',
      '"-rf" (head): not a stack name (letters, digits, "-" and "_", at most 64)',
      '"a b" (head): not a stack name (letters, digits, "-" and "_", at most 64)',
    ]);
  });

  test("stacks to plan without a remote backend are listed (the workflow refuses them)", () => {
    const remote = JSON.stringify({ terraform: { backend: { azurerm: { key: "r.tfstate" } } } });
    const local = JSON.stringify({ terraform: { backend: { local: { path: "../../../terraform-state/l.tfstate" } } } });
    const head = out("head3", { r: remote, l: local, n: "{}", same: "{}" });
    expect(changedStacks(out("base3", { same: "{}" }), head).localState).toEqual(["l", "n"]);
  });
});

describe("a stack directory's digest: everything Terraform reads from it, and nothing synth does not write", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-digest-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const handler = "console.log('handler');\n";
  const md5 = crypto.createHash("md5").update(handler).digest("hex").toUpperCase();
  const stack = (name: string, extra: (dir: string) => void = () => undefined) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, "assets", "Handler", md5), { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), "{}");
    fs.writeFileSync(path.join(dir, "assets", "Handler", md5, "fortiflex-handler.js"), handler);
    extra(dir);
    return dir;
  };

  test("the same files give the same digest wherever they are; any byte, mode or name changes it", () => {
    const a = stackDigest(stack("a"));
    expect(a.problems).toEqual([]);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(stackDigest(stack("b")).digest).toBe(a.digest);
    expect(stackDigest(stack("lock", (d) => fs.writeFileSync(path.join(d, ".terraform.lock.hcl"), "# lock\n"))).digest).not.toBe(a.digest);
    expect(stackDigest(stack("mode", (d) => fs.chmodSync(path.join(d, "cdk.tf.json"), 0o755))).digest).not.toBe(a.digest);
    expect(a.files.map((f) => f.path)).toEqual(["assets/Handler/" + md5 + "/fortiflex-handler.js", "cdk.tf.json"]);
  });

  test("refused: an asset whose content is not what its path's hash names, links, working directories and other files", () => {
    const problems = (name: string, extra: (dir: string) => void) => stackDigest(stack(name, extra)).problems;
    expect(problems("appended", (d) => fs.appendFileSync(path.join(d, "assets", "Handler", md5, "fortiflex-handler.js"), "steal();\n"))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^assets/Handler/${md5}/fortiflex-handler\\.js: its content's MD5 is [0-9A-F]{32}, not the ${md5} its path \\(and so cdk\\.tf\\.json\\) names$`,
        ),
      ),
    ]);
    expect(problems("link", (d) => fs.symlinkSync("/etc/passwd", path.join(d, "assets", "x")))).toEqual([
      "assets/x: a symbolic link; only regular files are accepted",
    ]);
    expect(problems("workdir", (d) => fs.mkdirSync(path.join(d, ".terraform")))).toEqual([
      ".terraform/: a directory synth does not write (a Terraform working directory: digest a fresh synth output)",
    ]);
    expect(problems("override", (d) => fs.writeFileSync(path.join(d, "override.tf.json"), "{}"))).toEqual([
      "override.tf.json: a file synth does not write (allowed: cdk.tf.json or cdk.tf, .terraform.lock.hcl, assets/)",
    ]);
    expect(stackDigest(path.join(tmp, "none")).problems).toEqual([`${path.join(tmp, "none")}: not a directory`]);
  });
});

describe("plan summary", () => {
  const rc = (address: string, type: string, actions: string[], after: Record<string, unknown> = {}, before: Record<string, unknown> | null = null) => ({
    address,
    type,
    change: { actions, before, after },
  });
  const settings = (parameters: string, extra: Record<string, string> = {}) => ({ triggers: { lifecycle: "1", name: "contoso", parameters, ...extra } });

  test("counts and the changes a reviewer must not miss", () => {
    const s = summarizePlan("contoso", {
      resource_changes: [
        rc("null_resource.FortiGate_FortiFlexConfig_Settings", "null_resource", ["delete", "create"], settings("1=4,2=UTP"), settings("1=2,2=UTP")),
        rc(
          "null_resource.FortiGate_Entitlement_Settings",
          "null_resource",
          ["delete", "create"],
          { triggers: { lifecycle: "2", status: "ACTIVE", drift: "status STOPPED (want ACTIVE)" } },
          { triggers: { lifecycle: "2", status: "ACTIVE" } },
        ),
        rc("azurerm_linux_virtual_machine.FortiGate_FortiGate_Vm_EF56", "azurerm_linux_virtual_machine", ["update"]),
        {
          ...rc("null_resource.FortiGate_Entitlement_Lifecycle", "null_resource", ["delete", "create"], {
            triggers: { kind: "entitlement", key: "contoso/FortiGate/Entitlement2" },
          }),
          change: {
            actions: ["delete", "create"],
            before: { triggers: { kind: "entitlement", key: "contoso/FortiGate/Entitlement" } },
            after: { triggers: { kind: "entitlement", key: "contoso/FortiGate/Entitlement2" } },
          },
        },
        rc("null_resource.FortiGate_Entitlement_TokenRegeneration", "null_resource", ["create"]),
        rc("azurerm_network_security_rule.x", "azurerm_network_security_rule", ["no-op"]),
      ],
    });
    expect(s).toEqual({
      stack: "contoso",
      add: 4,
      change: 1,
      destroy: 3,
      notes: [
        "FortiFlex settings changed in place (null_resource.FortiGate_FortiFlexConfig_Settings; shown as a replacement, nothing is destroyed): " +
          "parameters: 1=2,2=UTP -> 1=4,2=UTP",
        "drift repaired (null_resource.FortiGate_Entitlement_Settings): status STOPPED (want ACTIVE)",
        "**FortiFlex entitlement contoso/FortiGate/Entitlement stopped/disabled** " +
          "(null_resource.FortiGate_Entitlement_Lifecycle): a new entitlement " +
          "contoso/FortiGate/Entitlement2 is created or reused",
        "**license token regenerated** (null_resource.FortiGate_Entitlement_TokenRegeneration)",
      ],
    });
  });

  test("a rebuilt FortiGate: the causes from its boot step (names only), and VMs rebuilt without one", () => {
    const boot = (actions: string[], before: Record<string, string> | null, after: Record<string, string>, unknown: Record<string, boolean> = {}) => ({
      address: "null_resource.FortiGate_FortiGate_LicenseBoot",
      type: "null_resource",
      change: { actions, before: before && { triggers: before }, after: { triggers: after }, after_unknown: { triggers: unknown } },
    });
    const vm = (actions: string[]) => ({
      address: "azurerm_linux_virtual_machine.FortiGate_FortiGate_Vm_BB",
      type: "azurerm_linux_virtual_machine",
      change: { actions, before: { name: "acme-fgt" }, after: { name: "acme-fgt" } },
    });
    const base = { name: "acme-fgt", admin_password_sha256: "aa", zone: "1", token_generation: "0", lifecycle: "1" };
    expect(
      summarizePlan("x", {
        resource_changes: [boot(["delete", "create"], base, { ...base, admin_password_sha256: "bb", zone: "2" }), vm(["delete", "create"])],
      }).notes,
    ).toEqual([
      "**FortiGate acme-fgt rebuilt** (null_resource.FortiGate_FortiGate_LicenseBoot): admin_password " +
        "changes, zone changes; the new VM boots with an unused license token (a new one-time token is " +
        "generated at apply if the current one was used)",
    ]);
    expect(summarizePlan("x", { resource_changes: [boot(["delete", "create"], base, { ...base, lifecycle: "" }, { lifecycle: true })] }).notes[0]).toMatch(
      /rebuilt\*\* .*: its FortiFlex entitlement is replaced;/,
    );
    expect(summarizePlan("x", { resource_changes: [boot(["create"], null, base), vm(["create"])] }).notes).toEqual([
      "FortiGate acme-fgt: first boot (null_resource.FortiGate_FortiGate_LicenseBoot), with its entitlement's unused license token",
    ]);
    // A boot step created while its VM stays (moved step, switched lifecycleResource): said, not called a first boot.
    expect(summarizePlan("x", { resource_changes: [boot(["create"], null, base), vm(["no-op"])] }).notes).toEqual([
      "**FortiGate acme-fgt keeps running while its boot step is created** " +
        "(null_resource.FortiGate_FortiGate_LicenseBoot, e.g. after a move of the step): its license " +
        "token is regenerated at apply although no VM boots (the running FortiGate stays licensed)",
    ]);
    // Tainted, -replace'd or deleted outside Terraform: the VM is created, its boot step is not.
    expect(summarizePlan("x", { resource_changes: [boot(["no-op"], base, base), vm(["delete", "create"])] }).notes).toEqual([
      "**FortiGate acme-fgt may boot UNLICENSED** (azurerm_linux_virtual_machine.FortiGate_FortiGate_Vm_BB " +
        "is created but null_resource.FortiGate_FortiGate_LicenseBoot stays, so the VM gets the current " +
        "token, which an earlier VM may have used): rebuild it with `terraform apply " +
        "-replace=null_resource.FortiGate_FortiGate_LicenseBoot` instead",
    ]);
  });

  test("stops that really happen: tainted steps, removed code, the reconcile and owner steps", () => {
    const lifecycle = (reason: string, key: string) => ({
      address: `null_resource.${key.split("/")[1]}_Lifecycle`,
      type: "null_resource",
      action_reason: reason,
      change: {
        actions: reason.startsWith("delete") ? ["delete"] : ["delete", "create"],
        before: { triggers: { kind: "entitlement", key } },
        after: reason.startsWith("delete") ? null : { triggers: { kind: "entitlement", key } },
      },
    });
    const s = summarizePlan("acme", {
      resource_changes: [
        lifecycle("replace_because_tainted", "acme/Fw1"),
        lifecycle("delete_because_no_resource_config", "acme/Fw2"),
        {
          address: "null_resource.FortiFlexRuntime_Reconcile[0]",
          type: "null_resource",
          change: {
            actions: ["delete", "create"],
            before: {
              triggers: { scopes: JSON.stringify([{ account_id: "1525960" }]), declared: JSON.stringify(["acme/Config@0", "acme/Fw1@0", "acme/Fw2@0"]) },
            },
            after: { triggers: { scopes: JSON.stringify([{ account_id: "1525960" }]), declared: JSON.stringify(["acme/Config@0", "acme/Fw1@0"]) } },
          },
        },
        {
          address: "null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960",
          type: "null_resource",
          change: { actions: ["delete"], before: { triggers: { namespace: "acme", account_id: "1525960" } }, after: null },
        },
      ],
    });
    expect(s.notes).toEqual([
      "step re-run (null_resource.Fw1_Lifecycle, tainted): entitlement acme/Fw1 is found by its key again, nothing is stopped",
      "entitlement acme/Fw2 removed from the code (null_resource.Fw2_Lifecycle): stopped/disabled by the stack's reconcile step, not by this resource",
      "**FortiFlex objects stopped/disabled** (no longer declared): acme/Fw2 (account 1525960)",
      "the reconcile step also stops any object of the namespace that the state does not know of (what the plan saw astray is listed in its strays trigger)",
      "**everything left in namespace acme (account 1525960) is stopped/disabled** (null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960)",
    ]);
    const owner = (actions: string[], reason?: string) =>
      summarizePlan("acme", {
        resource_changes: [
          {
            address: "null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_OwnAccount",
            type: "null_resource",
            action_reason: reason,
            change: { actions, before: { triggers: { namespace: "acme", account_id: "" } }, after: null },
          },
        ],
      }).notes;
    expect(owner(["delete"], "delete_because_no_resource_config")).toEqual([
      "**the stop-all step of namespace acme (account own) removed from the code** " +
        "(null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_OwnAccount): Terraform runs no destroy step, so nothing left there " +
        "is stopped by this stack any more",
    ]);
    expect(owner(["delete", "create"], "replace_by_request")).toEqual([
      "**the stop-all step of namespace acme (account own) replaced** (null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_OwnAccount): its " +
        "destroy step stops everything there, entitlements in use included",
    ]);
  });

  test("an entitlement whose status setting becomes STOPPED is called stopped", () => {
    const s = summarizePlan("contoso", {
      resource_changes: [
        change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()),
        change(CONTOSO.entitlementSettings, ["delete", "create"], triggers.entitlementSettings("ACTIVE"), triggers.entitlementSettings("STOPPED")),
      ],
    });
    expect(s.notes).toEqual([
      `FortiFlex settings changed in place (${CONTOSO.entitlementSettings}; shown as a replacement, nothing is destroyed): status: ACTIVE -> STOPPED`,
      `**FortiFlex entitlement contoso/FortiGate/Entitlement stopped** (${CONTOSO.entitlementSettings}): its status setting changes from ACTIVE to STOPPED`,
    ]);
  });
});
