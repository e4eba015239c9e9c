import { FGT_VM_BUNDLE_ID, parameterOf } from "../../contract/product-catalog";
import { FortiGateArchitecture } from "../fortigate-image";

/**
 * What an Azure VM size name says about the machine: "Standard_D8ps_v6" is family D, 8 vCPUs, features
 * "ps" (p = ARM64, s = premium storage), version 6. Constrained sizes ("Standard_E8-4s_v5") have 4 active vCPUs.
 */
export interface AzureVmSize {
  readonly name: string;
  readonly family: string;
  readonly vcpus: number;
  readonly features: string;
  readonly version: number;
  readonly arm64: boolean;
}

export function parseVmSize(name: string): AzureVmSize | undefined {
  const m = typeof name === "string" ? /^Standard_([A-Z]+)(\d+)(?:-(\d+))?([a-z]*)(?:_[A-Z]\d+)?(?:_v(\d+))?$/.exec(name) : null;
  if (!m) return undefined;
  const features = m[4];
  return { name, family: m[1], vcpus: Number(m[3] ?? m[2]), features, version: Number(m[5] ?? 1), arm64: features.includes("p") };
}

/** Why a size cannot run an image of this architecture, or undefined when it can. */
export function sizeArchitectureProblem(size: AzureVmSize, architecture: FortiGateArchitecture): string | undefined {
  if (architecture === FortiGateArchitecture.ARM64 && !size.arm64) return "ARM64 images need an ARM64 size (a 'p' size such as Standard_D4ps_v6)";
  if (architecture !== FortiGateArchitecture.ARM64 && size.arm64) return `${size.name} is an ARM64 size; use FortiGateArchitecture.ARM64 or an x64 size`;
  if (architecture === FortiGateArchitecture.X64_GEN1 && !size.arm64 && size.version >= 6) {
    return `${size.name} is NVMe-only and needs a generation 2 image (FortiGateArchitecture.X64_GEN2)`;
  }
  const cpu = parameterOf(FGT_VM_BUNDLE_ID, "cpu");
  if (size.vcpus < cpu.min! || size.vcpus > cpu.max!) return `FortiGate VMs run with ${cpu.min}-${cpu.max} vCPUs (FortiFlex's CPU range)`;
  return undefined;
}

/** x64 v6 and later sizes only have NVMe disk controllers; Gen2 images there need NVMe set explicitly. */
export function needsNvme(size: AzureVmSize, architecture: FortiGateArchitecture): boolean {
  return architecture === FortiGateArchitecture.X64_GEN2 && !size.arm64 && size.version >= 6;
}

/** Accelerated networking needs at least 2 vCPUs and is not offered on the A and B families. */
export function supportsAcceleratedNetworking(size: AzureVmSize): boolean {
  return size.vcpus >= 2 && !["A", "B", "BS"].includes(size.family);
}

/**
 * How many NICs a size takes, where the common rule of current Azure sizes holds (D and E v3 and later, Fsv2,
 * their a/p variants): 2 up to 4 vCPUs, 4 at 8, 8 from 16 (4 for F16s_v2). Undefined for other sizes.
 */
export function maxNetworkInterfaces(size: AzureVmSize): number | undefined {
  const current = (["D", "E"].includes(size.family) && size.version >= 3) || (size.family === "F" && size.version === 2);
  if (!current) return undefined;
  if (size.vcpus <= 4) return 2;
  if (size.vcpus < 16 || (size.family === "F" && size.vcpus < 32)) return 4;
  return 8;
}
