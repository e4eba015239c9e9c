import { Construct } from "constructs";
import { parseVmSize } from "./azure-vm-size";
import { FortiFlexConfiguration } from "./fortiflex-configuration";
import {
  FortiFlexProduct,
  type FortiGateBundleCloudService,
  type FortiGateBundleFortiGuardService,
  type FortiGateServicePackage,
} from "./fortiflex-product";
import type { FortiFlexEndpoints } from "./fortiflex-runtime";
import { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";
import { FortiGateArchitecture, type FortiOsVersion } from "./fortigate-image";
import { FortiGateLicense } from "./fortigate-license";
import { FortiGateVm, type FortiGateExistingNetworkProps, type FortiGateNewNetworkProps } from "./fortigate-vm";
import type { LifecycleResourceType } from "./lifecycle-resource-type";
import { ValidationError } from "./validation-error";

/** vCPU counts with a default VM size (D-series v5 for x64, Dps v6 for ARM64). */
const DEFAULT_SIZE_CPUS = [2, 4, 8, 16, 32, 48, 64, 96];

export interface FortiGateWithFortiFlexProps {
  /** Names the FortiFlex configuration and prefixes the Azure resources (letters, digits, hyphens). */
  readonly name: string;
  readonly programSerialNumber: string;
  /** The customer's FortiFlex member account. @default - the API user's own account */
  readonly accountId?: number;
  readonly servicePackage: FortiGateServicePackage;
  /**
   * vCPUs, the same for the FortiFlex configuration and the VM. Give `cpu`, `vmSize` or both (then they
   * must agree). @default - the vCPUs of `vmSize`
   */
  readonly cpu?: number;
  /** @default - Standard_D<cpu>s_v5 (x64) or Standard_D<cpu>ps_v6 (ARM64) */
  readonly vmSize?: string;
  /** @default 0 */
  readonly vdoms?: number;
  /** @default - none */
  readonly fortiGuardServices?: FortiGateBundleFortiGuardService[];
  /** @default - none */
  readonly cloudServices?: FortiGateBundleCloudService[];
  readonly resourceGroupName: string;
  readonly location: string;
  /** @default - Fortinet's reference layout */
  readonly network?: FortiGateNewNetworkProps;
  /** @default - a new network */
  readonly existingNetwork?: FortiGateExistingNetworkProps;
  readonly adminCidrs: string[];
  /** @default false */
  readonly allowAdminFromAnywhere?: boolean;
  /** @default "fortiadmin" */
  readonly adminUsername?: string;
  /** A Terraform reference. @default - a sensitive variable */
  readonly adminPassword?: string;
  /** @default FortiOsVersion.V7_6 */
  readonly fortiOsVersion?: FortiOsVersion;
  /** @default FortiGateArchitecture.X64_GEN2 */
  readonly architecture?: FortiGateArchitecture;
  /** @default "latest" */
  readonly imageVersion?: string;
  /** @default false */
  readonly acceptMarketplaceTerms?: boolean;
  /** @default - no zone */
  readonly availabilityZone?: string;
  /** Bump to regenerate the license token and rebuild the VM with it. @default 0 */
  readonly tokenGeneration?: number;
  /** FortiOS CLI appended to the bootstrap configuration. @default - none */
  readonly additionalConfig?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** @default LifecycleResourceType.NULL_RESOURCE */
  readonly lifecycleResource?: LifecycleResourceType;
  /** @default true */
  readonly detectDrift?: boolean;
  /** @default - from the environment at synth, else the real FortiFlex service */
  readonly endpoints?: FortiFlexEndpoints;
}

/**
 * One self-licensing FortiGate: a FortiFlex configuration sized to the VM, one VM entitlement, and the
 * BYOL FortiGate VM whose custom data carries the entitlement's token. The vCPU count is one value for
 * both sides, so changing it updates the configuration in place and resizes the VM in place.
 */
export class FortiGateWithFortiFlex extends Construct {
  readonly configuration: FortiFlexConfiguration;
  readonly entitlement: FortiFlexVmEntitlement;
  readonly fortiGate: FortiGateVm;

  constructor(scope: Construct, id: string, props: FortiGateWithFortiFlexProps) {
    super(scope, id);
    if (typeof props.name !== "string" || !/^[a-z0-9][a-z0-9-]{0,40}$/i.test(props.name)) {
      throw new ValidationError(this, "name", props.name, "1-41 letters, digits or hyphens, starting with a letter or digit");
    }
    const arm = props.architecture === FortiGateArchitecture.ARM64;
    const sized = props.vmSize === undefined ? undefined : parseVmSize(props.vmSize);
    if (props.vmSize !== undefined && !sized) throw new ValidationError(this, "vmSize", props.vmSize, 'an Azure VM size name such as "Standard_D4s_v5"');
    const cpu = props.cpu ?? sized?.vcpus;
    if (cpu === undefined) throw new ValidationError(this, "cpu", undefined, "give cpu (vCPUs) or vmSize");
    if (sized && sized.vcpus !== cpu) {
      throw new ValidationError(this, "cpu", cpu, `the vCPUs of vmSize ${props.vmSize} (${sized.vcpus}); the FortiFlex configuration and the VM must agree`);
    }
    if (!props.vmSize && !DEFAULT_SIZE_CPUS.includes(cpu)) {
      throw new ValidationError(this, "cpu", cpu, `one of ${DEFAULT_SIZE_CPUS.join(", ")} for a default VM size, or give vmSize`);
    }
    const vmSize = props.vmSize ?? (arm ? `Standard_D${cpu}ps_v6` : `Standard_D${cpu}s_v5`);

    this.configuration = new FortiFlexConfiguration(this, "FortiFlexConfig", {
      programSerialNumber: props.programSerialNumber,
      accountId: props.accountId,
      name: `${props.name} FortiGate ${cpu} vCPU`,
      product: FortiFlexProduct.fortiGateVmBundle({
        cpu,
        servicePackage: props.servicePackage,
        vdoms: props.vdoms,
        fortiGuardServices: props.fortiGuardServices,
        cloudServices: props.cloudServices,
      }),
      lifecycleResource: props.lifecycleResource,
      detectDrift: props.detectDrift,
      endpoints: props.endpoints,
    });
    this.entitlement = new FortiFlexVmEntitlement(this, "Entitlement", {
      configuration: this.configuration,
      description: `${props.name} FortiGate`,
      tokenGeneration: props.tokenGeneration,
    });
    this.fortiGate = new FortiGateVm(this, "FortiGate", {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      namePrefix: props.name.toLowerCase(),
      license: FortiGateLicense.fromEntitlement(this.entitlement),
      adminCidrs: props.adminCidrs,
      allowAdminFromAnywhere: props.allowAdminFromAnywhere,
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      vmSize,
      fortiOsVersion: props.fortiOsVersion,
      architecture: props.architecture,
      imageVersion: props.imageVersion,
      acceptMarketplaceTerms: props.acceptMarketplaceTerms,
      network: props.network,
      existingNetwork: props.existingNetwork,
      availabilityZone: props.availabilityZone,
      additionalConfig: props.additionalConfig,
      tags: props.tags,
    });
  }

  get publicIpAddress(): string {
    return this.fortiGate.publicIpAddress;
  }

  get managementUrl(): string {
    return this.fortiGate.managementUrl;
  }

  /** The FortiFlex serial number, which is also the FortiGate's serial number once licensed. */
  get serialNumber(): string {
    return this.entitlement.serialNumber;
  }
}
