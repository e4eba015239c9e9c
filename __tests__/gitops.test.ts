import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedStacks } from "../gitops/changed-stacks";
import { markdown, summarizePlan } from "../gitops/plan-summary";

/** The pieces of the GitOps workflow that run outside GitHub: change detection and the plan summary. */
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

  test("changed, added, removed and unchanged stacks", () => {
    const base = out("base", { a: "1", b: "2", c: "3" });
    const head = out("head", { a: "1", b: "2 changed", d: "4" });
    expect(changedStacks(base, head)).toEqual({ changed: ["b"], added: ["d"], removed: ["c"], unchanged: 1 });
  });

  test("a missing base (first run) makes every stack new", () => {
    expect(changedStacks(path.join(tmp, "nothing"), out("head2", { a: "1" }))).toEqual({ changed: [], added: ["a"], removed: [], unchanged: 0 });
  });
});

describe("plan summary", () => {
  const rc = (address: string, type: string, actions: string[], after: Record<string, unknown> = {}) => ({ address, type, change: { actions, after } });

  test("counts and the changes a reviewer must not miss", () => {
    const s = summarizePlan("contoso", {
      resource_changes: [
        rc("null_resource.FortiGate_FortiFlexConfig_Settings_AB12", "null_resource", ["delete", "create"], { triggers: { parameters: "1=4,2=UTP" } }),
        rc("null_resource.FortiGate_Entitlement_DriftRepair_CD34[0]", "null_resource", ["create"], { triggers: { drift: "status STOPPED (want ACTIVE)" } }),
        rc("azurerm_linux_virtual_machine.FortiGate_FortiGate_Vm_EF56", "azurerm_linux_virtual_machine", ["update"]),
        rc("null_resource.FortiGate_Entitlement_Lifecycle_0011", "null_resource", ["delete", "create"], { triggers: { kind: "entitlement" } }),
        rc("null_resource.FortiGate_Entitlement_TokenRegeneration_22", "null_resource", ["create"]),
        rc("azurerm_network_security_rule.x", "azurerm_network_security_rule", ["no-op"]),
      ],
    });
    expect(s).toEqual({
      stack: "contoso",
      add: 4,
      change: 1,
      destroy: 2,
      notes: [
        "FortiFlex settings changed in place (null_resource.FortiGate_FortiFlexConfig_Settings_AB12)",
        "drift repaired (null_resource.FortiGate_Entitlement_DriftRepair_CD34[0]): status STOPPED (want ACTIVE)",
        "**FortiFlex identity changes** (null_resource.FortiGate_Entitlement_Lifecycle_0011): the old entitlement is stopped/disabled and a new one created or reused",
        "**license token regenerated** (null_resource.FortiGate_Entitlement_TokenRegeneration_22)",
      ],
    });
    expect(summarizePlan("x", { resource_changes: [rc("azurerm_linux_virtual_machine.vm", "azurerm_linux_virtual_machine", ["delete", "create"])] }).notes).toEqual([
      "**FortiGate VM rebuilt** (azurerm_linux_virtual_machine.vm): it boots again with its license token",
    ]);
  });

  test("markdown table", () => {
    expect(markdown([{ stack: "a", add: 1, change: 0, destroy: 0, notes: [] }])).toBe("| stack | add | change | destroy | notes |\n|---|---:|---:|---:|---|\n| a | 1 | 0 | 0 | - |\n");
    expect(markdown([])).toBe("No customer stack changes.\n");
  });
});
