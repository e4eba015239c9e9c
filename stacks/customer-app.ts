import * as path from "node:path";
import type { App } from "cdktf";
import { CustomerStack, type CustomerStackProps } from "./customer-stack";
import { constructProblemInFileTerms } from "./construct-problem";
import { CustomersFileError, readCustomersFile, type Customer } from "./customers-file";

/** Where main.ts looks for customers (relative to the working directory), unless FORTIFLEX_CUSTOMERS_FILE says otherwise. */
export const DEFAULT_CUSTOMERS_FILE = path.join("stacks", "customers.yaml");

/**
 * Validates the whole customers file, then builds the selected customers' stacks (all when `only` is
 * empty). Every customer's construct errors are collected, so one run reports them all, in the file's terms
 * where they are about a field of it, and nothing is synthesized when any customer is invalid.
 */
export function buildCustomerStacks(app: App, file: string, only: string[] = [], options: Omit<CustomerStackProps, "customer"> = {}): Customer[] {
  const { customers, entryOf } = readCustomersFile(file);
  const unknown = only.filter((id) => !customers.some((c) => c.id === id));
  if (unknown.length) {
    throw new CustomersFileError(file, [
      `FORTIFLEX_CUSTOMERS names unknown customer(s) ${unknown.join(", ")} (known: ${customers.map((c) => c.id).join(", ")})`,
    ]);
  }
  const selected = only.length ? customers.filter((c) => only.includes(c.id)) : customers;
  const problems: string[] = [];
  for (const customer of selected) {
    try {
      new CustomerStack(app, customer.id, { ...options, customer });
    } catch (e) {
      const pair = customer.fortigate.deployment === "active-passive";
      problems.push(constructProblemInFileTerms(e, entryOf(customer), pair) ?? `customer "${customer.id}": ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new CustomersFileError(file, problems);
  return selected;
}

/** FORTIFLEX_CUSTOMERS="a,b" -> ["a", "b"]. */
export function selectedCustomers(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.FORTIFLEX_CUSTOMERS ?? "").split(/[\s,]+/).filter(Boolean);
}
