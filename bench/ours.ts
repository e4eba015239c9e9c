import type { App } from "cdktf";
import { CustomerStack } from "../stacks/customer-stack";
import type { Customer } from "../stacks/customers-file";
import { syntheticCustomer } from "./synthetic-customers";

/** Customer i as the project builds it: CustomerStack with every construct of the library. */
export function buildCustomer(app: App, i: number): void {
  const customer = syntheticCustomer(i) as Customer;
  new CustomerStack(app, customer.id, { customer });
}
