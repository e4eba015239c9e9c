import { Token } from "cdktf";
import type { Construct } from "constructs";
import type { FortiGateHaPairProps } from "../fortigate-ha-pair";
import type { FortiGateLicense } from "../fortigate-license";
import { ValidationError } from "../validation-error";
import { maxNetworkInterfaces } from "./azure-vm-size";
import { checkLicense } from "./check-license";
import type { FortiGateSettings } from "./fortigate-settings";
import { refuseProps } from "./refuse-props";

/** A pair's own props, checked: what the pattern adds to the FortiGate options. */
export function validateHaPairProps(
  scope: Construct,
  props: FortiGateHaPairProps,
  settings: FortiGateSettings,
): { readonly licenses: FortiGateLicense[]; readonly zones?: readonly string[] } {
  refuseProps(scope, props, {
    availabilityZone: "a single FortiGate's option; a pair takes availabilityZones",
    license: "a single FortiGate's option; a pair takes licenses",
  });
  const nics = maxNetworkInterfaces(settings.size);
  if (nics !== undefined && nics < 4) {
    const name = settings.size.name;
    const example = settings.size.arm64 ? "Standard_D8ps_v6" : "Standard_D8s_v5";
    throw new ValidationError(
      scope,
      "vmSize",
      name,
      `a size that takes 4 NICs (each unit has port1-port4); ${name} takes ${nics}: use 8 vCPUs or more (e.g. ${example})`,
    );
  }
  if (!Array.isArray(props.licenses) || props.licenses.length !== 2)
    throw new ValidationError(scope, "licenses", props.licenses, "two licenses: unit A's, then unit B's");
  const licenses = props.licenses.map((l, i) => checkLicense(scope, l, `licenses[${i}]`));
  if (licenses[0].entitlement && licenses[0].entitlement === licenses[1].entitlement) {
    throw new ValidationError(scope, "licenses[1]", licenses[1].entitlement.node.path, "another entitlement than unit A's (one token, one FortiGate)");
  }
  const zones = props.availabilityZones;
  if (zones !== undefined && (!Array.isArray(zones) || zones.length !== 2 || zones.some((z) => !["1", "2", "3"].includes(z)) || zones[0] === zones[1])) {
    throw new ValidationError(scope, "availabilityZones", zones, 'two different zones of "1", "2", "3", e.g. ["1", "2"] (or none for an availability set)');
  }
  if (props.haPassword !== undefined && !Token.isUnresolved(props.haPassword)) {
    const why = "a Terraform reference (e.g. a sensitive TerraformVariable); a literal would be written in plain text to cdk.tf.json";
    throw new ValidationError(scope, "haPassword", "<a literal password>", why);
  }
  return { licenses, zones };
}
