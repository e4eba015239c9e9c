import type { FortiFlexEndpoints } from "../constructs/fortiflex-endpoints";
import type {
  FortiGateBundleCloudService,
  FortiGateBundleFortiGuardService,
  FortiGateBundleSupportService,
  FortiGateServicePackage,
} from "../constructs/fortiflex-product";
import type { FortiGateFortiFlexProps } from "../constructs/fortigate-fortiflex-props";
import type { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "../constructs/fortigate-image";
import type { FortiGateOptions } from "../constructs/fortigate-options";
import type { Customer } from "./customers-file";

/** What a customer's FortiGate takes whatever its deployment: the FortiFlex side and the FortiGate options. */
export type CustomerFortiGateProps = FortiGateFortiFlexProps & FortiGateOptions & { readonly vmSize?: string };

/**
 * A customer's FortiGate props from the customers file (already validated there: its strings are the enums'
 * values) and what the stack made for it.
 */
export function fortiGatePropsOf(
  customer: Customer,
  placement: { readonly resourceGroupName: string; readonly tags: Record<string, string>; readonly endpoints?: FortiFlexEndpoints },
): CustomerFortiGateProps {
  const f = customer.fortigate;
  return {
    name: customer.id,
    programSerialNumber: customer.fortiflex.programSerialNumber,
    accountId: customer.fortiflex.accountId,
    servicePackage: f.servicePackage as FortiGateServicePackage,
    cpu: f.cpu,
    vmSize: f.vmSize,
    vdoms: f.vdoms,
    fortiGuardServices: f.fortiGuardServices as FortiGateBundleFortiGuardService[] | undefined,
    cloudServices: f.cloudServices as FortiGateBundleCloudService[] | undefined,
    supportService: f.supportService as FortiGateBundleSupportService | undefined,
    fortiOsVersion: f.fortiOsVersion as FortiOsVersion | undefined,
    architecture: f.architecture as FortiGateArchitecture | undefined,
    marketplaceOffer: f.marketplaceOffer as FortiGateMarketplaceOffer | undefined,
    imageVersion: f.imageVersion,
    tokenGeneration: f.tokenGeneration,
    hostname: f.hostname,
    adminUsername: f.adminUsername,
    logDiskSizeGb: f.logDiskSizeGb,
    publicPorts: f.publicPorts,
    additionalConfig: f.additionalConfig,
    postLicenseConfig: f.postLicenseConfig,
    fortiManager: f.fortiManager,
    resourceGroupName: placement.resourceGroupName,
    location: customer.azure.location,
    adminCidrs: customer.adminCidrs,
    tags: placement.tags,
    endpoints: placement.endpoints,
  };
}
