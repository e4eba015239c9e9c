/**
 * Azure Marketplace images of FortiGate BYOL. Since March 2026 the offer `fortinet_fortigate-vm` has one SKU
 * per FortiOS minor version and architecture; the legacy offer `fortinet_fortigate-vm_v5` (still needed in
 * some regions, e.g. government clouds, and for private offers) has one SKU per architecture.
 */

/** FortiOS minor version of the image. */
export enum FortiOsVersion {
  /** FortiOS 7.0 (x64 generation 1 only in the current offer). */
  V7_0 = "7.0",
  /** FortiOS 7.2. */
  V7_2 = "7.2",
  /** FortiOS 7.4. */
  V7_4 = "7.4",
  /** FortiOS 7.6. */
  V7_6 = "7.6",
  /** FortiOS 8.0. */
  V8_0 = "8.0",
}

/** CPU architecture and VM generation of the image. */
export enum FortiGateArchitecture {
  /** x64, Hyper-V generation 1 (FortiOS 7.0-8.0). */
  X64_GEN1 = "x64",
  /** x64, Hyper-V generation 2 (FortiOS 7.4 and later); needed for NVMe-only sizes (v6, v7). */
  X64_GEN2 = "x64-gen2",
  /** ARM64 (Ampere), for Dps/Dpds/Dpls sizes (FortiOS 7.2 and later). */
  ARM64 = "arm64",
}

/** Which Marketplace offer the image comes from. */
export enum FortiGateMarketplaceOffer {
  /** `fortinet_fortigate-vm`, the current offer. */
  CURRENT = "fortinet_fortigate-vm",
  /** `fortinet_fortigate-vm_v5`, the legacy offer. */
  LEGACY = "fortinet_fortigate-vm_v5",
}

const FORTINET_PUBLISHER = "fortinet";

const SUFFIX: Record<FortiGateArchitecture, string> = {
  [FortiGateArchitecture.X64_GEN1]: "",
  [FortiGateArchitecture.X64_GEN2]: "_g2",
  [FortiGateArchitecture.ARM64]: "_arm64",
};

/** Architectures published per FortiOS version in the current offer. */
const AVAILABLE: Record<FortiOsVersion, FortiGateArchitecture[]> = {
  [FortiOsVersion.V7_0]: [FortiGateArchitecture.X64_GEN1],
  [FortiOsVersion.V7_2]: [FortiGateArchitecture.X64_GEN1, FortiGateArchitecture.ARM64],
  [FortiOsVersion.V7_4]: [FortiGateArchitecture.X64_GEN1, FortiGateArchitecture.X64_GEN2, FortiGateArchitecture.ARM64],
  [FortiOsVersion.V7_6]: [FortiGateArchitecture.X64_GEN1, FortiGateArchitecture.X64_GEN2, FortiGateArchitecture.ARM64],
  [FortiOsVersion.V8_0]: [FortiGateArchitecture.X64_GEN1, FortiGateArchitecture.X64_GEN2, FortiGateArchitecture.ARM64],
};

/** An Azure Marketplace image and its plan (publisher, offer, SKU) at a version. */
export interface MarketplaceImage {
  /** Marketplace publisher, "fortinet". */
  readonly publisher: string;
  /** Marketplace offer, e.g. "fortinet_fortigate-vm". */
  readonly offer: string;
  /** SKU (the plan name), e.g. "fortinet_fg-vm_byol_76_g2". */
  readonly sku: string;
  /** Image version, e.g. "7.6.6", or "latest". */
  readonly version: string;
}

/**
 * The image for a FortiOS version and architecture, or a reason why there is none. `imageVersion` is the
 * exact image version ("7.6.6") or "latest" (the newest patch of the SKU).
 */
export function fortiGateByolImage(
  version: FortiOsVersion,
  architecture: FortiGateArchitecture,
  offer: FortiGateMarketplaceOffer,
  imageVersion: string,
): MarketplaceImage | string {
  if (!Object.values(FortiOsVersion).includes(version)) return `unknown FortiOS version (allowed: ${Object.values(FortiOsVersion).join(", ")})`;
  if (!Object.values(FortiGateArchitecture).includes(architecture)) return `unknown architecture (allowed: ${Object.values(FortiGateArchitecture).join(", ")})`;
  if (imageVersion !== "latest" && !new RegExp(`^${version.replace(".", "\\.")}\\.\\d+$`).test(imageVersion)) {
    return `image version must be "latest" or ${version}.<patch> (e.g. ${version}.1)`;
  }
  if (offer === FortiGateMarketplaceOffer.LEGACY) {
    // One SKU holds every FortiOS version there: "latest" could boot another major than the one declared.
    if (imageVersion === "latest")
      return `the legacy offer has one SKU for every FortiOS version; pin imageVersion (${version}.<patch>) so that "latest" cannot deploy another FortiOS`;
    if (architecture === FortiGateArchitecture.ARM64 && version < FortiOsVersion.V7_2) return "the legacy offer has ARM64 images from FortiOS 7.2.8 on";
    return { publisher: FORTINET_PUBLISHER, offer, sku: `fortinet_fg-vm${SUFFIX[architecture]}`, version: imageVersion };
  }
  if (offer !== FortiGateMarketplaceOffer.CURRENT) return `unknown offer (allowed: ${Object.values(FortiGateMarketplaceOffer).join(", ")})`;
  if (!AVAILABLE[version].includes(architecture)) {
    return `FortiOS ${version} is published for ${AVAILABLE[version].join(", ")} only`;
  }
  return { publisher: FORTINET_PUBLISHER, offer, sku: `fortinet_fg-vm_byol_${version.replace(".", "")}${SUFFIX[architecture]}`, version: imageVersion };
}
