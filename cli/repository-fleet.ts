import type { FleetFiles } from "./fleet-loader";

/** The fleet repository's customers-file loader and local state directory, loaded on first use (doctor only). */
export async function repositoryFleet(): Promise<FleetFiles> {
  const [{ loadCustomersFile }, { LOCAL_STATE_DIR }] = await Promise.all([import("../stacks/customers-file"), import("../stacks/local-state")]);
  return { loadCustomers: loadCustomersFile, localStateDir: LOCAL_STATE_DIR };
}
