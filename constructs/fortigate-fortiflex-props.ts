import type {
  FortiGateBundleCloudService,
  FortiGateBundleFortiGuardService,
  FortiGateBundleSupportService,
  FortiGateServicePackage,
} from "./fortiflex-product";
import type { FortiFlexEndpoints } from "./fortiflex-endpoints";
import type { LifecycleResourceType } from "./lifecycle-resource-type";

/** What a FortiFlex-licensed FortiGate pattern adds to the FortiGate options: the FortiFlex side. */
export interface FortiGateFortiFlexProps {
  /** Names the FortiFlex configuration and prefixes the Azure resources (letters, digits, hyphens). */
  readonly name: string;
  /** FortiFlex program serial number. */
  readonly programSerialNumber: string;
  /** The customer's FortiFlex member account. @default - the API user's own account */
  readonly accountId?: number;
  /** FortiCare only, UTP, Enterprise or ATP. */
  readonly servicePackage: FortiGateServicePackage;
  /**
   * vCPUs, the same for the FortiFlex configuration and the VM(s). Give `cpu`, `vmSize` or both (then they
   * must agree). @default - the vCPUs of `vmSize`
   */
  readonly cpu?: number;
  /** @default 0 */
  readonly vdoms?: number;
  /** @default - none */
  readonly fortiGuardServices?: FortiGateBundleFortiGuardService[];
  /** @default - none */
  readonly cloudServices?: FortiGateBundleCloudService[];
  /** FortiCare Elite upgrade. @default FortiGateBundleSupportService.NONE */
  readonly supportService?: FortiGateBundleSupportService;
  /** Bump to regenerate the license token(s) and rebuild the VM(s) with them. @default 0 */
  readonly tokenGeneration?: number;
  /** @default LifecycleResourceType.NULL_RESOURCE */
  readonly lifecycleResource?: LifecycleResourceType;
  /** @default true */
  readonly detectDrift?: boolean;
  /** @default - Fortinet's FortiFlex service (synth never reads endpoints from the environment) */
  readonly endpoints?: FortiFlexEndpoints;
}
