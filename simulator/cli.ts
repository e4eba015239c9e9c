/**
 * `npm run simulator`: starts the FortiFlex simulator on 127.0.0.1 and prints one JSON line with the URLs
 * and the seeded tenant, so scripts can drive it. Stops cleanly on SIGTERM / SIGINT / SIGHUP, and when its
 * parent process is gone.
 *
 *   --port N          port (0 = any free port); also FORTIFLEX_SIMULATOR_PORT      [0]
 *   --state FILE      keep the world in FILE; also FORTIFLEX_SIMULATOR_STATE
 *   --faults JSON     fault rules (see simulator/fault-plan.ts); also FORTIFLEX_SIMULATOR_FAULTS
 *   --password P      password of the seeded API users; also FORTIFLEX_SIMULATOR_PASSWORD [random]
 *   --token-lifetime S  access token lifetime in seconds                         [3660]
 *   --request-budget N  API requests per minute and user, then 429 + Retry-After;
 *                       also FORTIFLEX_SIMULATOR_REQUEST_BUDGET                   [no limit]
 *   --seed NAME       start with data (simulator/demo-seed.ts: demo); also FORTIFLEX_SIMULATOR_SEED [none]
 */
import { parseArgs } from "node:util";
import { SEEDS, type SeedName } from "./demo-seed";
import { FaultPlan } from "./fault-plan";
import { FortiFlexSimulator } from "./fortiflex-simulator";
import { endOnSignalOrOrphaned } from "./process-lifetime";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      state: { type: "string" },
      faults: { type: "string" },
      password: { type: "string" },
      "token-lifetime": { type: "string" },
      "request-budget": { type: "string" },
      seed: { type: "string" },
    },
  });
  const env = process.env;
  const port = Number(values.port ?? env.FORTIFLEX_SIMULATOR_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port ?? env.FORTIFLEX_SIMULATOR_PORT}"`);
  const faultsJson = values.faults ?? env.FORTIFLEX_SIMULATOR_FAULTS;
  const budgetText = values["request-budget"] ?? env.FORTIFLEX_SIMULATOR_REQUEST_BUDGET;
  const budget = budgetText === undefined ? undefined : Number(budgetText);
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1))
    throw new Error(`--request-budget must be a whole number of requests per minute >= 1, got "${budgetText}"`);
  const seed = values.seed ?? env.FORTIFLEX_SIMULATOR_SEED;
  if (seed !== undefined && !Object.hasOwn(SEEDS, seed)) throw new Error(`--seed must be one of ${Object.keys(SEEDS).join(", ")}, got "${seed}"`);
  const sim = await FortiFlexSimulator.start({
    port,
    stateFile: values.state ?? env.FORTIFLEX_SIMULATOR_STATE,
    faults: faultsJson ? FaultPlan.parse(faultsJson) : [],
    password: values.password ?? env.FORTIFLEX_SIMULATOR_PASSWORD,
    tokenLifetimeSeconds: values["token-lifetime"] ? Number(values["token-lifetime"]) : undefined,
    requestBudget: budget === undefined ? undefined : { requests: budget },
    seed: seed as SeedName | undefined,
  });
  process.stdout.write(
    JSON.stringify({
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      controlUrl: `${sim.baseUrl}/__simulator/`,
      username: sim.seed.username,
      password: sim.seed.password,
      programSerialNumber: sim.seed.programSerialNumber,
      accountId: sim.seed.accountId,
      memberAccountIds: sim.seed.memberAccountIds,
      pid: process.pid,
    }) + "\n",
  );
  endOnSignalOrOrphaned(() => sim.stop(), { watchParent: true });
}

main().catch((e: Error) => {
  process.stderr.write(`fortiflex-simulator: ${e.message}\n`);
  process.exit(1);
});
