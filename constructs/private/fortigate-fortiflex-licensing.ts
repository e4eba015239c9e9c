import type { Construct } from "constructs";
import { parseVmSize } from "./azure-vm-size";
import { FortiFlexConfiguration } from "../fortiflex-configuration";
import { FortiFlexProduct } from "../fortiflex-product";
import type { FortiGateFortiFlexProps } from "../fortigate-fortiflex-props";
import { FortiFlexVmEntitlement } from "../fortiflex-vm-entitlement";
import { FortiGateArchitecture } from "../fortigate-image";
import { ValidationError } from "../validation-error";

/** vCPU counts with a default VM size (D-series v5 for x64, Dps v6 for ARM64). */
const DEFAULT_SIZE_CPUS = [2, 4, 8, 16, 32, 48, 64, 96];

export interface FortiGateFortiFlexLicensing {
  readonly configuration: FortiFlexConfiguration;
  /** One per unit, in the order of the unit ids given. */
  readonly entitlements: FortiFlexVmEntitlement[];
  /** The VM size every unit runs on (its vCPUs are the configuration's). */
  readonly vmSize: string;
}

/**
 * One FortiFlex configuration sized to the VM and one entitlement per FortiGate unit (each unit licenses
 * itself with its own token). `units` are the entitlements' construct ids and descriptions' suffixes.
 */
export function fortiFlexLicensing(
  scope: Construct,
  props: FortiGateFortiFlexProps & { readonly vmSize?: string; readonly architecture?: FortiGateArchitecture },
  units: readonly { readonly id: string; readonly description: string }[],
): FortiGateFortiFlexLicensing {
  if (typeof props.name !== "string" || !/^[a-z0-9][a-z0-9-]{0,40}$/i.test(props.name)) {
    throw new ValidationError(scope, "name", props.name, "1-41 letters, digits or hyphens, starting with a letter or digit");
  }
  const arm = props.architecture === FortiGateArchitecture.ARM64;
  const sized = props.vmSize === undefined ? undefined : parseVmSize(props.vmSize);
  if (props.vmSize !== undefined && !sized) throw new ValidationError(scope, "vmSize", props.vmSize, 'an Azure VM size name such as "Standard_D4s_v5"');
  const cpu = props.cpu ?? sized?.vcpus;
  if (cpu === undefined) throw new ValidationError(scope, "cpu", undefined, "give cpu (vCPUs) or vmSize");
  if (sized && sized.vcpus !== cpu) {
    throw new ValidationError(scope, "cpu", cpu, `the vCPUs of vmSize ${props.vmSize} (${sized.vcpus}); the FortiFlex configuration and the VM must agree`);
  }
  if (!props.vmSize && !DEFAULT_SIZE_CPUS.includes(cpu)) {
    throw new ValidationError(scope, "cpu", cpu, `one of ${DEFAULT_SIZE_CPUS.join(", ")} for a default VM size, or give vmSize`);
  }
  const configuration = new FortiFlexConfiguration(scope, "FortiFlexConfig", {
    programSerialNumber: props.programSerialNumber,
    accountId: props.accountId,
    name: `${props.name} FortiGate ${cpu} vCPU`,
    product: FortiFlexProduct.fortiGateVmBundle({
      cpu,
      servicePackage: props.servicePackage,
      vdoms: props.vdoms,
      fortiGuardServices: props.fortiGuardServices,
      cloudServices: props.cloudServices,
      supportService: props.supportService,
    }),
    lifecycleResource: props.lifecycleResource,
    detectDrift: props.detectDrift,
    endpoints: props.endpoints,
  });
  const entitlements = units.map(
    (unit) =>
      new FortiFlexVmEntitlement(scope, unit.id, { configuration, description: `${props.name} ${unit.description}`, tokenGeneration: props.tokenGeneration }),
  );
  return { configuration, entitlements, vmSize: props.vmSize ?? (arm ? `Standard_D${cpu}ps_v6` : `Standard_D${cpu}s_v5`) };
}
