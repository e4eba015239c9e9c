/**
 * Entry point of `npm run synth` and `cdktf synth`: this repository's fleet, the example customers of
 * stacks/customers.yaml (FORTIFLEX_CUSTOMERS_FILE names another file, FORTIFLEX_CUSTOMERS a few customers).
 * It is the reference use of the packaged fleet layer: a fleet repository that `fortiflex init` writes has
 * the same few lines, importing from the package. See synthesizeFleet for what synth writes and keeps.
 */
import * as path from "node:path";
import { App } from "cdktf";
import { synthesizeFleet } from "./stacks/fleet-synth";

synthesizeFleet(new App(), { customersFile: path.join("stacks", "customers.yaml") });
