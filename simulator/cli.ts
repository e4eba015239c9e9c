/**
 * `npm run simulator`: starts the FortiFlex simulator on 127.0.0.1 and prints one JSON line with the URLs
 * and the seeded tenant, so scripts can drive it, or shell `export` lines for the library and the CLI. Stops
 * cleanly on SIGTERM / SIGINT / SIGHUP, and when its parent process is gone.
 *
 *   --port N          port (0 = any free port); also FORTIFLEX_SIMULATOR_PORT      [0]
 *   --state FILE      keep the world in FILE; also FORTIFLEX_SIMULATOR_STATE
 *   --faults JSON     fault rules (see simulator/fault-plan.ts); also FORTIFLEX_SIMULATOR_FAULTS
 *   --password P      password of the seeded API users; also FORTIFLEX_SIMULATOR_PASSWORD [random]
 *   --token-lifetime S  access token lifetime in seconds                         [3660]
 *   --request-budget N  API requests per minute and user, then 429 + Retry-After;
 *                       also FORTIFLEX_SIMULATOR_REQUEST_BUDGET                   [no limit]
 *   --seed NAME       start with data (simulator/demo-seed.ts: demo); also FORTIFLEX_SIMULATOR_SEED [none]
 *   --print-env       print `export` lines (API and token URLs, username, password, pid) instead of the JSON line
 *   --env-file FILE   write those lines to FILE (mode 0600; removed at stop); the JSON line then leaves out the password
 *   --detach          run in the background and return once listening (simulator/detach.ts)
 */
import { parseArgs } from "node:util";
import { SEEDS, type SeedName } from "./demo-seed";
import { reportToLauncher, startDetached, startedDetached } from "./detach";
import { FaultPlan } from "./fault-plan";
import { FortiFlexSimulator, type SimulatorOptions } from "./fortiflex-simulator";
import { endOnSignalOrOrphaned } from "./process-lifetime";
import { exportLines, removeIfUnchanged, writePrivateFile } from "./shell-env";

/** Named in the `export` lines: what stops the simulator (`kill "$FORTIFLEX_SIMULATOR_PID"`). */
const PID_VARIABLE = "FORTIFLEX_SIMULATOR_PID";

const ARGS = process.argv.slice(2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: ARGS,
    options: {
      port: { type: "string" },
      state: { type: "string" },
      faults: { type: "string" },
      password: { type: "string" },
      "token-lifetime": { type: "string" },
      "request-budget": { type: "string" },
      seed: { type: "string" },
      "print-env": { type: "boolean" },
      "env-file": { type: "string" },
      detach: { type: "boolean" },
    },
  });
  const options = simulatorOptions(values, process.env);
  if (values.detach) {
    process.stdout.write(await startDetached(ARGS.filter((a) => a !== "--detach")));
    return;
  }
  const sim = await FortiFlexSimulator.start(options);
  const envFile = values["env-file"];
  const exports = exportLines({ ...sim.env(), [PID_VARIABLE]: String(process.pid) });
  if (envFile) writePrivateFile(envFile, exports);
  const announcement = values["print-env"]
    ? exports
    : JSON.stringify({
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        controlUrl: `${sim.baseUrl}/__simulator/`,
        username: sim.seed.username,
        // Only in one place: with an env file, there.
        ...(envFile ? { envFile } : { password: sim.seed.password }),
        programSerialNumber: sim.seed.programSerialNumber,
        accountId: sim.seed.accountId,
        memberAccountIds: sim.seed.memberAccountIds,
        pid: process.pid,
      }) + "\n";
  endOnSignalOrOrphaned(
    async () => {
      await sim.stop();
      if (envFile) removeIfUnchanged(envFile, exports);
    },
    // The background process of --detach outlives its launcher on purpose.
    { watchParent: !startedDetached() },
  );
  if (!startedDetached()) process.stdout.write(announcement);
  // A simulator whose pid no one was told would run on unseen: it stops as if killed.
  else if (!(await reportToLauncher({ announce: announcement }))) process.kill(process.pid, "SIGTERM");
}

/** The simulator's options from the command line, else the environment; refuses what is out of range. */
function simulatorOptions(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): SimulatorOptions {
  const text = (name: string, variable?: string) => (values[name] as string | undefined) ?? (variable ? env[variable] : undefined);
  const portText = text("port", "FORTIFLEX_SIMULATOR_PORT");
  const port = Number(portText ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${portText}"`);
  const faultsJson = text("faults", "FORTIFLEX_SIMULATOR_FAULTS");
  const budgetText = text("request-budget", "FORTIFLEX_SIMULATOR_REQUEST_BUDGET");
  const budget = budgetText === undefined ? undefined : Number(budgetText);
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1))
    throw new Error(`--request-budget must be a whole number of requests per minute >= 1, got "${budgetText}"`);
  const seed = text("seed", "FORTIFLEX_SIMULATOR_SEED");
  if (seed !== undefined && !Object.hasOwn(SEEDS, seed)) throw new Error(`--seed must be one of ${Object.keys(SEEDS).join(", ")}, got "${seed}"`);
  const lifetime = text("token-lifetime");
  return {
    port,
    stateFile: text("state", "FORTIFLEX_SIMULATOR_STATE"),
    faults: faultsJson ? FaultPlan.parse(faultsJson) : [],
    password: text("password", "FORTIFLEX_SIMULATOR_PASSWORD"),
    tokenLifetimeSeconds: lifetime ? Number(lifetime) : undefined,
    requestBudget: budget === undefined ? undefined : { requests: budget },
    seed: seed as SeedName | undefined,
  };
}

main().catch(async (e: Error) => {
  if (startedDetached()) await reportToLauncher({ error: e.message });
  else process.stderr.write(`fortiflex-simulator: ${e.message}\n`);
  process.exit(1);
});
