// The library's public API, by name: what is listed here is documented and kept; everything else
// (constructs/private/, contract/) may change in any release. __tests__/unit/public-api.test.ts lists it.

export {
  FortiFlexConfiguration,
  type ExistingFortiFlexConfigurationProps,
  type FortiFlexConfigurationProps,
  type IFortiFlexConfiguration,
} from "./fortiflex-configuration";
export type { EndpointOptIns, FortiFlexEndpoints, ResolvedFortiFlexEndpoints } from "./fortiflex-endpoints";
export {
  FortiAnalyzerAddon,
  FortiFlexProduct,
  FortiGateBundleCloudService,
  FortiGateBundleFortiGuardService,
  FortiGateBundleSupportService,
  FortiGateLcsCloudService,
  FortiGateLcsFortiGuardService,
  FortiGateLcsSupportService,
  FortiGateServicePackage,
  FortiWebServicePackage,
  type CustomProductOptions,
  type FortiAnalyzerVmProps,
  type FortiFlexParameter,
  type FortiGateVmBundleProps,
  type FortiGateVmLcsProps,
  type FortiManagerVmProps,
  type FortiWebVmProps,
  type ProductForm,
  type ProductProblem,
} from "./fortiflex-product";
export { EntitlementDesiredStatus } from "./entitlement-desired-status";
export {
  FortiFlexVmEntitlement,
  type ExistingFortiFlexVmEntitlementProps,
  type FortiFlexVmEntitlementProps,
  type IFortiFlexVmEntitlement,
} from "./fortiflex-vm-entitlement";
export type { FortiGateFortiFlexProps } from "./fortigate-fortiflex-props";
export {
  FortiGateHaPair,
  type FortiGateHaExistingNetworkProps,
  type FortiGateHaNetworkProps,
  type FortiGateHaPairProps,
  type FortiGateHaUnit,
} from "./fortigate-ha-pair";
export { FortiGateHaPairWithFortiFlex, type FortiGateHaPairWithFortiFlexProps } from "./fortigate-ha-pair-with-fortiflex";
export { FortiGateArchitecture, fortiGateByolImage, FortiGateMarketplaceOffer, FortiOsVersion, type MarketplaceImage } from "./fortigate-image";
export { FortiGateLicense } from "./fortigate-license";
export type { FortiGateExistingSubnet, FortiGateOptions, FortiGatePublicPort, FortiManagerProps } from "./fortigate-options";
export { FortiGateVm, type FortiGateExistingNetworkProps, type FortiGateNewNetworkProps, type FortiGateVmProps } from "./fortigate-vm";
export { FortiGateWithFortiFlex, type FortiGateWithFortiFlexProps } from "./fortigate-with-fortiflex";
export { LifecycleResourceType } from "./lifecycle-resource-type";
export { ValidationError } from "./validation-error";
export { FortiFlexRetirement, type FortiFlexRetirementProps } from "./fortiflex-retirement";

// The fleet layer: one stack per customer of a customers file (what `fortiflex init` scaffolds a repository for).
export { buildCustomerStacks } from "../stacks/customer-app";
export { CustomerStack, type CustomerStackProps } from "../stacks/customer-stack";
export { CustomersFileError, loadCustomersFile, parseCustomers, type Customer } from "../stacks/customers-file";
export { FLEET_CUSTOMERS_FILE, synthesizeFleet, type FleetSynthOptions } from "../stacks/fleet-synth";
