import type { TerraformStack } from "cdktf";
import { FortiFlexConfiguration, FortiFlexProduct, FortiGateServicePackage, type FortiFlexConfigurationProps } from "../../constructs";
import type { FortiFlexSimulator } from "../../simulator/fortiflex-simulator";

/**
 * A FortiFlex configuration in the simulator's program, pointed at the simulator: a 1 vCPU FortiCare
 * FortiGate bundle named after the stack unless `props` says otherwise.
 */
export function simulatorConfiguration(
  stack: TerraformStack,
  sim: FortiFlexSimulator,
  props: Partial<FortiFlexConfigurationProps> = {},
  id = "Config",
): FortiFlexConfiguration {
  return new FortiFlexConfiguration(stack, id, {
    programSerialNumber: sim.seed.programSerialNumber,
    name: stack.node.id,
    product: FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }),
    endpoints: { apiUrl: sim.apiUrl, authUrl: sim.authUrl },
    ...props,
  });
}
