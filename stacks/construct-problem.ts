import { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "../constructs/fortigate-image";
import { ValidationError } from "../constructs/validation-error";
import type { WrittenFields } from "./written-fields";

/**
 * A construct's ValidationError for a customer, in the customers file's terms: the field as the file names
 * it, with its line; and where the construct checked a value the stack derived (the VM size from `cpu`, the
 * vCPUs from `vmSize`), the field it was derived from and how to choose the value instead. Undefined when the
 * error is about nothing the file says.
 */
export function constructProblemInFileTerms(error: unknown, fields: WrittenFields, pair: boolean): string | undefined {
  if (!(error instanceof ValidationError)) return undefined;
  const allowed = inFileTerms(error.allowed);
  const [prop, ...rest] = error.field.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "");
  const sub = rest.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (prop === "vmSize" && !fields.says(["fortigate", "vmSize"])) {
    const size = String(error.value);
    return fields.problem(
      ["fortigate", "cpu"],
      `${pair ? "the pair's" : "the"} VM size derived from it, ${size}, is refused: ${allowed}; set fortigate.vmSize to choose one`,
    );
  }
  if (prop === "product" && sub[0] === "cpu" && !fields.says(["fortigate", "cpu"])) {
    return fields.problem(["fortigate", "vmSize"], `the vCPUs derived from it are refused by FortiFlex: ${allowed}; set fortigate.cpu or another vmSize`);
  }
  if (prop === "image") {
    const said = IMAGE_FIELDS.find((f) => fields.says(["fortigate", f])) ?? "fortiOsVersion";
    // The version the image must match is often the default one: say so, or the refusal names a version nobody wrote.
    const version = fields.says(["fortigate", "fortiOsVersion"]) ? "" : " (fortigate.fortiOsVersion is not set: its default applies)";
    return fields.problem(["fortigate", said], `${allowed}${version}`);
  }
  const path = FILE_PATHS[prop]?.(sub);
  return path && fields.problem(path, allowed);
}

/** The fields the image is chosen by, the most specific first (the one an error points at). */
const IMAGE_FIELDS = ["imageVersion", "marketplaceOffer", "fortiOsVersion", "architecture"] as const;

/** Where a construct's prop is in a customer entry. */
const FILE_PATHS: Record<string, (sub: (string | number)[]) => (string | number)[]> = {
  product: (sub) => ["fortigate", ...sub],
  endpoints: (sub) => ["fortiflex", "endpoints", ...sub],
  location: () => ["azure", "location"],
  resourceGroupName: () => ["azure", "resourceGroup"],
  ...Object.fromEntries(["network", "existingNetwork", "adminCidrs", "tags"].map((f) => [f, (sub: (string | number)[]) => [f, ...sub]])),
  ...Object.fromEntries(
    [
      "cpu",
      "vmSize",
      "vdoms",
      "hostname",
      "adminUsername",
      "logDiskSizeGb",
      "publicPorts",
      "additionalConfig",
      "postLicenseConfig",
      "fortiManager",
      "availabilityZone",
      "availabilityZones",
      "tokenGeneration",
    ].map((f) => [f, (sub: (string | number)[]) => ["fortigate", f, ...sub]]),
  ),
};

/** The constructs' enum names ("FortiGateArchitecture.ARM64") as the file writes them ("fortigate.architecture: arm64"). */
function inFileTerms(text: string): string {
  const enums: [string, string, Record<string, string>][] = [
    ["FortiGateArchitecture", "architecture", FortiGateArchitecture],
    ["FortiGateMarketplaceOffer", "marketplaceOffer", FortiGateMarketplaceOffer],
    ["FortiOsVersion", "fortiOsVersion", FortiOsVersion],
  ];
  let out = text;
  for (const [name, field, values] of enums)
    for (const [member, value] of Object.entries(values)) out = out.replaceAll(`${name}.${member}`, `fortigate.${field}: ${value}`);
  return out;
}
