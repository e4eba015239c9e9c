import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FortiFlexClient, type FortiFlexClientOptions, type RequestEvent } from "../../custom-provider/fortiflex-client";
import { FortiFlexSimulator, type SimulatorOptions } from "../../simulator/fortiflex-simulator";

/** A simulator on loopback plus a client pointed at it, with fast retries and a private token cache. */
export interface Harness {
  sim: FortiFlexSimulator;
  client: FortiFlexClient;
  events: RequestEvent[];
  tmp: string;
  newClient(options?: Partial<FortiFlexClientOptions>): FortiFlexClient;
  close(): Promise<void>;
}

export async function startHarness(options: SimulatorOptions = {}, clientOptions: Partial<FortiFlexClientOptions> = {}): Promise<Harness> {
  const sim = await FortiFlexSimulator.start(options);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-test-"));
  const events: RequestEvent[] = [];
  const newClient = (extra: Partial<FortiFlexClientOptions> = {}) =>
    new FortiFlexClient({
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      credentials: { username: sim.seed.username, password: sim.seed.password },
      baseDelayMs: 5,
      maxDelayMs: 50,
      timeoutMs: 2000,
      tokenCacheDir: path.join(tmp, "token-cache"),
      onEvent: (e) => events.push(e),
      ...clientOptions,
      ...extra,
    });
  return {
    sim,
    client: newClient(),
    events,
    tmp,
    newClient,
    close: async () => {
      await sim.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The FortiGate VM bundle parameters used across tests: 2 vCPU, UTP. */
export const FGT_2CPU_UTP = [
  { id: 1, value: "2" },
  { id: 2, value: "UTP" },
];
