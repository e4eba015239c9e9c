import type { FortiFlexClient } from "./fortiflex-client";

/** The API user's own account per program, looked up once per client. */
const ownAccounts = new WeakMap<FortiFlexClient, Map<string, Promise<number>>>();

/**
 * The account an object lives in: the identity's account id, or, when it is empty, the API user's own
 * account (the account that owns the program). Every look-up filters by it, so an object without an
 * account id never matches one in a member account.
 */
export function accountOf(client: FortiFlexClient, programSerialNumber: string, accountId: string): Promise<number> {
  if (accountId) return Promise.resolve(Number(accountId));
  let cache = ownAccounts.get(client);
  if (!cache) ownAccounts.set(client, (cache = new Map()));
  let own = cache.get(programSerialNumber);
  if (!own) {
    own = client.listPrograms().then((programs) => {
      const program = programs.find((p) => p.serialNumber === programSerialNumber);
      if (!program) throw new Error(`program ${programSerialNumber} is not visible to this API user`);
      return program.accountId;
    });
    cache.set(programSerialNumber, own);
  }
  return own;
}
