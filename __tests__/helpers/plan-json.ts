import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanJson, ResourceChange } from "../../gitops/terraform-plan-json";

/** Addresses and triggers as `npm run synth` writes them for the example customer contoso. */
export const CONTOSO = {
  configLifecycle: "null_resource.FortiGate_FortiFlexConfig_Lifecycle",
  configSettings: "null_resource.FortiGate_FortiFlexConfig_Settings",
  entitlementLifecycle: "null_resource.FortiGate_Entitlement_Lifecycle",
  entitlementSettings: "null_resource.FortiGate_Entitlement_Settings",
  reconcile: "null_resource.FortiFlexRuntime_Reconcile[0]",
  owner: "null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960",
  boot: "null_resource.FortiGate_LicenseBoot",
  vm: "azurerm_linux_virtual_machine.FortiGate_Vm_F9EAD84F",
  publicIp: "azurerm_public_ip.FortiGate_PublicIp_C66A8A31",
  nsgRule: "azurerm_network_security_rule.FortiGate_AllowAdminHttpsSsh_56F48152",
  observe: "data.external.FortiFlexRuntime_Observe_ELAVMS0000000518_1525960",
  // Earlier versions' steps, which a plan made before a stack's upgrade may still name.
  entitlementDriftRepair: "null_resource.FortiGate_Entitlement_DriftRepair_10783213[0]",
  configDriftRepair: "null_resource.FortiGate_FortiFlexConfig_DriftRepair_65F9397E[0]",
  settle: "null_resource.FortiFlexRuntime_Settle_a2e6027b_0C4B8F4E[0]",
} as const;

/** The digest of a stack directory, as a plan record carries it (gitops/stack-digest.ts). */
export const DIGEST = "5".repeat(64);

const SCOPE = {
  program_serial_number: "ELAVMS0000000518",
  account_id: "1525960",
  api_url: "https://support.fortinet.com/ES/api/fortiflex/v2/",
  auth_url: "https://customerapiauth.fortinet.com/api/v1/oauth/token/",
};

export const triggers = {
  entitlement: (key = "contoso/FortiGate/Entitlement") => ({ triggers: { ...SCOPE, kind: "entitlement", key } }),
  config: (key = "contoso/FortiGate/FortiFlexConfig") => ({ triggers: { ...SCOPE, kind: "config", key, product_type_id: "1" } }),
  entitlementSettings: (status: "ACTIVE" | "STOPPED") => ({
    triggers: { config_key: "contoso/FortiGate/FortiFlexConfig", description: "contoso FortiGate", end_date: "", lifecycle: "4711", status },
  }),
  reconcile: (declared: string[]) => ({
    triggers: { namespace: "contoso", scopes: JSON.stringify([SCOPE]), declared: JSON.stringify(declared.map((k) => `${k}@0`)) },
  }),
  owner: () => ({ triggers: { ...SCOPE, kind: "namespace", namespace: "contoso" } }),
};

/** One entry of resource_changes or resource_drift; the type comes from the address. */
export function change(
  address: string,
  actions: string[],
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  extra: { action_reason?: string } = {},
): ResourceChange {
  const [first, second] = address.split(".");
  return { address, type: first === "data" ? second : first, ...extra, change: { actions, before, after } };
}

export function plan(resourceChanges: ResourceChange[], resourceDrift: ResourceChange[] = []): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: resourceChanges,
    ...(resourceDrift.length ? { resource_drift: resourceDrift } : {}),
  } as PlanJson;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}
