import type { Construct } from "constructs";
import type { FortiGateLicense } from "../fortigate-license";
import type { FortiGateVmProps } from "../fortigate-vm";
import { ValidationError } from "../validation-error";
import { checkLicense } from "./check-license";
import { refuseProps } from "./refuse-props";

/** A single FortiGate's own props, checked; returns its license. */
export function validateFortiGateVmProps(scope: Construct, props: FortiGateVmProps): FortiGateLicense {
  refuseProps(scope, props, {
    availabilityZones: "a pair's option; a single FortiGate takes availabilityZone",
    haPassword: "a pair's option",
    licenses: "a pair's option; a single FortiGate takes license",
  });
  const license = checkLicense(scope, props.license);
  if (props.availabilityZone !== undefined && !["1", "2", "3"].includes(props.availabilityZone))
    throw new ValidationError(scope, "availabilityZone", props.availabilityZone, '"1", "2" or "3"');
  return license;
}
