import * as path from "node:path";
import type { FleetFiles } from "./fleet-loader";

/**
 * The installed package's fleet layer, for `doctor` in a fleet repository: the library's compiled stacks/
 * beside this bundle (lib/stacks/, next to lib/cli/), required when first asked. The bundle itself carries none
 * of it (its validation pulls in the framework and the azurerm bindings, which the fleet has installed).
 */
export async function installedFleet(): Promise<FleetFiles> {
  const stacks = path.join(__dirname, "..", "stacks");
  const { loadCustomersFile } = require(path.join(stacks, "customers-file.js")) as typeof import("../stacks/customers-file");
  const { LOCAL_STATE_DIR } = require(path.join(stacks, "local-state.js")) as typeof import("../stacks/local-state");
  return { loadCustomers: loadCustomersFile, localStateDir: LOCAL_STATE_DIR };
}
