import { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import { syntheticCustomer } from "./synthetic-customers";

/**
 * The FortiFlex simulator in this process, on 127.0.0.1 (it only ever listens there), with the generated
 * customers' member accounts under its MSSP account and no request budget yet (each phase sets its own).
 */
export async function startFleetSimulator(count: number): Promise<FortiFlexSimulator> {
  const sim = await FortiFlexSimulator.start();
  try {
    const accounts = sim.world.state.accounts;
    for (let i = 0; i < count; i++) {
      const { id, name, fortiflex } = syntheticCustomer(i);
      if (fortiflex.programSerialNumber !== sim.seed.programSerialNumber)
        throw new Error(`${id}: program ${fortiflex.programSerialNumber} is not the simulator's (${sim.seed.programSerialNumber})`);
      const taken = accounts.find((a) => a.id === fortiflex.accountId);
      if (taken) throw new Error(`${id}: FortiFlex account ${fortiflex.accountId} already exists in the simulator (${taken.name})`);
      accounts.push({ id: fortiflex.accountId, parentId: sim.seed.accountId, name });
    }
    return sim;
  } catch (e) {
    await sim.stop();
    throw e;
  }
}
