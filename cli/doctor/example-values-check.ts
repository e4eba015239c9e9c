import type { Customer } from "../../stacks/customers-file";
import type { CheckResult } from "./check-result";

/**
 * Values that only stand for a fleet's own: the storage accounts of the scaffold's and this repository's example
 * customers files, and their subscription ids of one repeated digit. Left in place they are not harmless: an
 * example storage account name may be someone else's account, which answers doctor's anonymous check as a
 * private one would.
 */
const EXAMPLE_STORAGE_ACCOUNTS = ["fleettfstate0001", "msspterraformstate"];
const EXAMPLE_SUBSCRIPTION = /^(\d)\1{7}-\1{4}-4\1{3}-8\1{3}-\1{12}$/;

/** A warning naming the customers that still carry an example value, or nothing. */
export function exampleValuesCheck(customers: readonly Customer[]): CheckResult[] {
  const found: string[] = [];
  const subscriptions = customers.filter((c) => EXAMPLE_SUBSCRIPTION.test(c.azure.subscriptionId)).map((c) => c.id);
  if (subscriptions.length) found.push(`example subscription ids (one repeated digit): ${subscriptions.join(", ")}`);
  for (const account of EXAMPLE_STORAGE_ACCOUNTS) {
    const users = customers.filter((c) => c.backend?.azurerm.storageAccountName === account).map((c) => c.id);
    if (users.length) found.push(`the example storage account ${account}: ${users.join(", ")}`);
  }
  if (!found.length) return [];
  return [
    {
      check: "customers-file",
      status: "warn",
      detail: `still the examples' values: ${found.join("; ")}; replace them with your own (the fleet README, "What to fill in")`,
    },
  ];
}
