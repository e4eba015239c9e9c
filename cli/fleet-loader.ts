import type { Customer } from "../stacks/customers-file";

/**
 * What `doctor` reads of the fleet repository: its customers file and where its local state goes. Given only by
 * the repository's entry (cli/fleet-main.ts), imported when first asked: the package's `fortiflex` (cli/main.ts)
 * bundles none of stacks/, whose validation pulls in CDKTF and the azurerm bindings.
 */
export interface FleetFiles {
  /** Loads and validates a customers file; throws CustomersFileError with every problem. */
  readonly loadCustomers: (file: string) => Customer[];
  readonly localStateDir: string;
}
