import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { passwordVariables, planPasswords, variableFile } from "../../gitops/plan-passwords";
import { GitopsScripts } from "../helpers/gitops-scripts";

/** The password wiring of an HA pair as synth writes it (woodgrove): two VMs and two boot steps on one variable. */
const PAIR = {
  resource: {
    azurerm_linux_virtual_machine: {
      FortiGatePair_UnitA_Vm_630282B4: { admin_password: "${var.woodgrove_admin_password}" },
      FortiGatePair_UnitB_Vm_0F2A7507: { admin_password: "${var.woodgrove_admin_password}" },
    },
    null_resource: {
      FortiGatePair_UnitA_LicenseBoot_C5AA799D: { triggers: { admin_password_sha256: "${sha256(var.woodgrove_admin_password)}" } },
      FortiGatePair_UnitB_LicenseBoot_12C803B1: { triggers: { admin_password_sha256: "${sha256(var.woodgrove_admin_password)}" } },
      FortiGatePair_EntitlementA_Lifecycle_268CD8AA: { triggers: { kind: "entitlement" } },
    },
  },
};
const EXISTING = "Existing-Adm1n-Password!";

/** `terraform show -json` of a state: the resources with their values (sensitive ones in clear). */
const state = (resources: { address: string; values: Record<string, unknown> }[]) => ({
  format_version: "1.0",
  values: { root_module: { resources: resources.map((r) => ({ ...r, type: r.address.split(".")[0], name: r.address.split(".")[1] })) } },
});
const vmA = { address: "azurerm_linux_virtual_machine.FortiGatePair_UnitA_Vm_630282B4", values: { admin_password: EXISTING, name: "woodgrove-fgt-a" } };
const bootA = { address: "null_resource.FortiGatePair_UnitA_LicenseBoot_C5AA799D", values: { triggers: {} } };

describe("admin passwords of a read-only plan", () => {
  test("the variables the VMs take their password from, with their VMs and boot steps", () => {
    expect([...passwordVariables(PAIR)]).toEqual([
      [
        "woodgrove_admin_password",
        {
          vms: ["FortiGatePair_UnitA_Vm_630282B4", "FortiGatePair_UnitB_Vm_0F2A7507"],
          boots: ["null_resource.FortiGatePair_UnitA_LicenseBoot_C5AA799D", "null_resource.FortiGatePair_UnitB_LicenseBoot_12C803B1"],
        },
      ],
    ]);
  });

  test("the password a VM already has, from the state", () => {
    expect(planPasswords(PAIR, state([vmA, bootA]))).toEqual([
      { variable: "woodgrove_admin_password", value: EXISTING, source: `from the state (${vmA.address})` },
    ]);
    const differing = planPasswords(
      PAIR,
      state([vmA, { ...vmA, address: "azurerm_linux_virtual_machine.FortiGatePair_UnitB_Vm_0F2A7507", values: { admin_password: "Another-Passw0rd!" } }]),
    );
    expect(differing[0]).toMatchObject({
      value: EXISTING,
      warning: "the VMs of var.woodgrove_admin_password have different admin passwords in the state; the plan shows the others rebuilt",
    });
  });

  test("no VM built yet: a throwaway value that passes the variable's validation, different each time", () => {
    const [first] = planPasswords(PAIR, { format_version: "1.0" } as object);
    const [second] = planPasswords(PAIR, state([]));
    expect(first.source).toBe("a throwaway value: no VM in the state has it yet (the plan creates the VM either way)");
    expect(first.warning).toBeUndefined();
    for (const p of [first, second]) {
      expect(p.value.length).toBeGreaterThanOrEqual(12);
      expect(p.value.length).toBeLessThanOrEqual(72);
      expect([/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(p.value))).toHaveLength(4);
    }
    expect(first.value).not.toBe(second.value);
    // A boot step in the state without its VM: the plan shows it rebuilt, which the apply may not do.
    expect(planPasswords(PAIR, state([bootA]))[0].warning).toBe(
      `${bootA.address} in the state but not the VM: the plan shows the boot step rebuilt (its password ` +
        `hash differs), which the apply with the real password may not do`,
    );
  });

  test("a Terraform variable file (JSON: any character is data); a line break is refused", () => {
    expect(JSON.parse(variableFile([{ variable: "v", value: 'a"<<b\\${x}', source: "" }]))).toEqual({ v: 'a"<<b\\${x}' });
    expect(() => variableFile([{ variable: "v", value: "a\nb", source: "" }])).toThrow("the value for var.v has a line break; not usable as a password");
  });
});

describe("plan-passwords, run as the plan job runs it", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-passwords-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  fs.writeFileSync(path.join(tmp, "cdk.tf.json"), JSON.stringify(PAIR));

  test("terraform show -json on stdin: a private variable file for the plan command, the value masked, its source (never the value) on stderr", () => {
    const varFile = path.join(tmp, "passwords.tfvars.json");
    const res = scripts.run("plan-passwords", [tmp, varFile], { input: JSON.stringify(state([vmA])) });
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(`::add-mask::${EXISTING}\n`);
    expect(res.stderr).toBe(`plan-passwords: var.woodgrove_admin_password: from the state (${vmA.address})\n`);
    expect(JSON.parse(fs.readFileSync(varFile, "utf8"))).toEqual({ woodgrove_admin_password: EXISTING });
    expect(fs.statSync(varFile).mode & 0o777).toBe(0o600);
  });

  test("a warning as a workflow annotation; not JSON on stdin: the reason, exit 1", () => {
    const warned = scripts.run("plan-passwords", [tmp, path.join(tmp, "env2")], { input: JSON.stringify(state([bootA])) });
    expect(warned.status).toBe(0);
    expect(warned.stdout).toMatch(/^::add-mask::\S+\n::warning::null_resource\.FortiGatePair_UnitA_LicenseBoot_C5AA799D in the state but not the VM/);
    const bad = scripts.run("plan-passwords", [tmp, path.join(tmp, "env3")], { input: "Error: no state" });
    expect(bad).toMatchObject({ status: 1, stderr: "plan-passwords: stdin is not JSON: pipe `terraform show -json` (the state, no plan file) into it\n" });
    expect(fs.existsSync(path.join(tmp, "env3"))).toBe(false);
  });
});
