import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { FortiGateArchitecture, fortiGateByolImage, FortiGateMarketplaceOffer, FortiOsVersion, type MarketplaceImage } from "../fortigate-image";
import type { FortiGateOptions, FortiGatePublicPort } from "../fortigate-options";
import { ValidationError } from "../validation-error";
import { validateAzureTags } from "./azure-tags";
import { parseVmSize, sizeArchitectureProblem, supportsAcceleratedNetworking, type AzureVmSize } from "./azure-vm-size";
import type { CentralManagementConfig } from "./fortigate-custom-data";
import type { Ipv4Cidr } from "./ipv4-cidr";
import {
  DEFAULT_PUBLIC_PORTS,
  resolveHostname,
  validateAdminCidrs,
  validateAdminPassword,
  validateAdminUsername,
  validateFortiManager,
  validateFortiOsCli,
  validateLogDiskSize,
  validatePlacement,
  validatePublicPorts,
} from "./validate-fortigate-options";
import { terraformLiterals } from "./terraform-literal";

/** FortiGate options checked and resolved: what the VM and network builders use. */
export interface FortiGateSettings {
  readonly prefix: string;
  readonly hostname: string;
  readonly image: MarketplaceImage;
  readonly architecture: FortiGateArchitecture;
  readonly size: AzureVmSize;
  readonly adminUsername: string;
  /** A Terraform reference. */
  readonly adminPassword: string;
  readonly adminCidrs: Ipv4Cidr[];
  readonly acceleratedNetworking: boolean;
  readonly logDiskSizeGb: number;
  readonly publicPorts: FortiGatePublicPort[];
  readonly additionalConfig?: string;
  readonly postLicenseConfig?: string;
  readonly rebuildOnCustomDataChange: boolean;
  readonly fortiManager?: CentralManagementConfig;
  readonly acceptMarketplaceTerms: boolean;
  /** Arguments every Azure resource of the FortiGate takes (tags as Terraform literals). */
  readonly common: { readonly resourceGroupName: string; readonly location: string; readonly tags: Record<string, string> };
}

/**
 * Checks every option and resolves the defaults; errors name the construct path, the field, the value and
 * what is allowed. `hostnameSuffix` is what a unit adds to the hostname ("-a" in a pair).
 */
export function resolveFortiGateOptions(
  scope: Construct,
  id: string,
  props: FortiGateOptions,
  pattern: { readonly hostnameSuffix: string; readonly adminOnPublicSide: boolean },
): FortiGateSettings {
  const prefix = validatePlacement(scope, id, props);
  const hostname = resolveHostname(scope, props.hostname, prefix, pattern.hostnameSuffix);
  const { image, architecture, size } = resolveImageAndSize(scope, props);
  const adminUsername = validateAdminUsername(scope, props.adminUsername ?? "fortiadmin");
  validateAdminPassword(scope, props.adminPassword);
  const adminCidrs = validateAdminCidrs(scope, props);
  const logDiskSizeGb = validateLogDiskSize(scope, props.logDiskSizeGb ?? 30);
  const publicPorts = validatePublicPorts(scope, props.publicPorts ?? DEFAULT_PUBLIC_PORTS, pattern.adminOnPublicSide);
  if (props.acceleratedNetworking && !supportsAcceleratedNetworking(size))
    throw new ValidationError(scope, "acceleratedNetworking", true, `${size.name} does not support accelerated networking`);
  validateFortiOsCli(scope, { additionalConfig: props.additionalConfig, postLicenseConfig: props.postLicenseConfig });
  validateAzureTags(scope, props.tags);
  return {
    prefix,
    hostname,
    image,
    architecture,
    size,
    adminUsername,
    adminPassword: props.adminPassword ?? passwordVariable(scope, prefix).stringValue,
    adminCidrs,
    acceleratedNetworking: props.acceleratedNetworking ?? supportsAcceleratedNetworking(size),
    logDiskSizeGb,
    publicPorts,
    additionalConfig: props.additionalConfig,
    postLicenseConfig: props.postLicenseConfig,
    rebuildOnCustomDataChange: props.rebuildOnCustomDataChange ?? false,
    fortiManager: props.fortiManager === undefined ? undefined : validateFortiManager(scope, props.fortiManager),
    acceptMarketplaceTerms: props.acceptMarketplaceTerms ?? false,
    common: { resourceGroupName: props.resourceGroupName, location: props.location, tags: terraformLiterals(props.tags ?? {}) },
  };
}

/** The Marketplace image and the VM size, checked against each other. */
function resolveImageAndSize(scope: Construct, props: FortiGateOptions): { image: MarketplaceImage; architecture: FortiGateArchitecture; size: AzureVmSize } {
  const architecture = props.architecture ?? FortiGateArchitecture.X64_GEN2;
  const image = fortiGateByolImage(
    props.fortiOsVersion ?? FortiOsVersion.V7_6,
    architecture,
    props.marketplaceOffer ?? FortiGateMarketplaceOffer.CURRENT,
    props.imageVersion ?? "latest",
  );
  if (typeof image === "string") {
    const given = { fortiOsVersion: props.fortiOsVersion, architecture, marketplaceOffer: props.marketplaceOffer, imageVersion: props.imageVersion };
    throw new ValidationError(scope, "image", given, image);
  }
  const size = parseVmSize(props.vmSize ?? "Standard_D2s_v5");
  if (!size) throw new ValidationError(scope, "vmSize", props.vmSize, 'an Azure VM size name such as "Standard_D2s_v5"');
  const sizeProblem = sizeArchitectureProblem(size, architecture);
  if (sizeProblem) throw new ValidationError(scope, "vmSize", props.vmSize, sizeProblem);
  return { image, architecture, size };
}

/** The admin password as a sensitive variable with Azure's rules, when the caller gives no reference. */
function passwordVariable(scope: Construct, prefix: string): TerraformVariable {
  const name = `${prefix.replace(/-/g, "_")}_admin_password`;
  const ref = `var.${name}`;
  // 1 for each character class the password uses: lower case, upper case, digit, symbol.
  const classesUsed = ["[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]"].map((c) => `(length(regexall("${c}", ${ref})) > 0 ? 1 : 0)`).join(" + ");
  const variable = new TerraformVariable(TerraformStack.of(scope), `${scope.node.path}/AdminPassword`.replace(/\//g, "_"), {
    type: "string",
    sensitive: true,
    description: `Admin password of FortiGate ${prefix} (12-72 characters, 3 of: lower case, upper case, digit, symbol). Set TF_VAR_${name}.`,
    validation: [
      {
        condition: `\${length(${ref}) >= 12 && length(${ref}) <= 72 && ${classesUsed} >= 3}`,
        errorMessage: "The FortiGate admin password needs 12-72 characters and 3 of: lower case, upper case, digit, symbol.",
      },
    ],
  });
  variable.overrideLogicalId(name);
  return variable;
}
