import * as fs from "node:fs";
import * as path from "node:path";
import { AmbiguousOutcomeError, RetriesExhaustedError } from "../../custom-provider/errors";
import { waitFor } from "../../reliability/wait-for";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

/** Every fault type, retried or failed fast, with the number of attempts asserted. */
describe("client fault handling", () => {
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h.close());

  const attempts = (operation: string) => h.sim.requests.filter((r) => r.operation === operation).length;
  const createConfig = () =>
    h.client.createConfig({ programSerialNumber: h.sim.seed.programSerialNumber, name: "c", productTypeId: 1, parameters: FGT_2CPU_UTP });

  test("reads retry 5xx, resets and 429 until they succeed", async () => {
    h.sim.faults.set([
      { operation: "programs/list", kind: "server-error", status: 502, times: 1 },
      { operation: "programs/list", kind: "reset", times: 1, skip: 1 },
      { operation: "programs/list", kind: "rate-limit", retryAfterSeconds: 0, times: 1, skip: 2 },
    ]);
    expect(await h.client.listPrograms()).toHaveLength(1);
    expect(attempts("programs/list")).toBe(4);
    expect(h.events.filter((e) => e.outcome === "retry").map((e) => e.httpStatus)).toEqual([502, undefined, 429]);
  });

  test("429 honours Retry-After", async () => {
    h = await (async () => {
      await h.close();
      return startHarness({}, { maxDelayMs: 5000 });
    })();
    h.sim.faults.set([{ operation: "configs/list", kind: "rate-limit", retryAfterSeconds: 1, times: 1 }]);
    const started = Date.now();
    await h.client.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(attempts("configs/list")).toBe(2);
  });

  test("reads give up after maxAttempts with the last error", async () => {
    h.sim.faults.set([{ operation: "programs/list", kind: "server-error", status: 500, times: 99 }]);
    await expect(h.client.listPrograms()).rejects.toThrow(RetriesExhaustedError);
    expect(attempts("programs/list")).toBe(5);
  });

  test("a timeout on a read is retried", async () => {
    const client = h.newClient({ timeoutMs: 150 });
    // The first read is held until released: it times out however busy the machine is.
    h.sim.faults.set([{ operation: "programs/list", kind: "hold", times: 1 }]);
    expect(await client.listPrograms()).toHaveLength(1);
    expect(h.events.filter((e) => e.operation === "programs/list").map((e) => e.outcome)).toEqual(["retry", "ok"]);
    expect(h.sim.faults.release()).toBe(1);
  });

  test("creates are retried on 429 and 503 (not processed) but never after the request may have been applied", async () => {
    h.sim.faults.set([
      { operation: "configs/create", kind: "rate-limit", retryAfterSeconds: 0 },
      { operation: "configs/create", kind: "server-error", status: 503, skip: 1 },
    ]);
    await createConfig();
    expect(attempts("configs/create")).toBe(3);
    expect(h.sim.world.state.configs).toHaveLength(1);

    for (const fault of [{ kind: "commit-then-drop" as const }, { kind: "reset" as const }, { kind: "server-error" as const, status: 500 }]) {
      h.sim.faults.set([{ operation: "configs/create", ...fault }]);
      const before = attempts("configs/create");
      await expect(createConfig()).rejects.toThrow(AmbiguousOutcomeError);
      expect(attempts("configs/create") - before).toBe(1);
    }
    // commit-then-drop really committed: the caller must look before creating again.
    expect(h.sim.world.state.configs).toHaveLength(2);
  });

  test("a create that times out is reported as ambiguous, not retried", async () => {
    const config = await createConfig();
    const client = h.newClient({ timeoutMs: 150 });
    h.sim.faults.set([{ operation: "entitlements/vm/create", kind: "hold" }]);
    await expect(client.createVmEntitlements({ configId: config.id })).rejects.toThrow(/outcome unknown \(no answer within 150 ms\)/);
    expect(h.events.filter((e) => e.operation === "entitlements/vm/create").map((e) => e.outcome)).toEqual(["error"]);
    expect(h.sim.world.state.entitlements).toHaveLength(0);
    // Released, the late request still lands on the server: the case the handler's look-up-first rule covers.
    expect(h.sim.faults.release()).toBe(1);
    await waitFor(() => h.sim.world.state.entitlements.length === 1, "the released create landing");
  });

  test("an expired access token is replaced once and the request resent", async () => {
    await h.client.listPrograms();
    h.sim.expireTokens();
    expect(await h.client.listPrograms()).toHaveLength(1);
    expect(h.client.tokens.authCalls).toBe(2);
    expect(h.sim.requests.filter((r) => r.operation === "programs/list").map((r) => r.httpStatus)).toEqual([200, 401, 200]);
  });

  test("a connection refused is retried (nothing was sent), even for creates", async () => {
    await h.client.listPrograms(); // the access token is now cached
    await h.sim.stop();
    const client = h.newClient({ maxAttempts: 3 });
    await expect(client.createConfig({ programSerialNumber: "ELAVMS0000000518", name: "c", productTypeId: 1, parameters: FGT_2CPU_UTP })).rejects.toThrow(
      /configs\/create failed after 3 attempts: .*ECONNREFUSED/,
    );
    expect(h.events.filter((e) => e.operation === "configs/create").map((e) => e.outcome)).toEqual(["retry", "retry", "error"]);
    h = await startHarness();
  });
});

describe("shared access-token cache", () => {
  let h: Harness;
  beforeEach(async () => (h = await startHarness({ tokenLifetimeSeconds: 3660 })));
  afterEach(async () => h.close());

  test("20 concurrent clients authenticate once; the cache file is 0600 and holds no credentials", async () => {
    const clients = Array.from({ length: 20 }, () => h.newClient());
    await Promise.all(clients.map((c) => c.listPrograms()));
    expect(h.sim.tokensIssued).toBe(1);
    const dir = path.join(h.tmp, "token-cache");
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    expect(text).not.toContain(h.sim.seed.password);
    expect(text).not.toContain(h.sim.seed.username);
  });

  test("a token close to expiry is refreshed with the refresh grant", async () => {
    const short = await (async () => {
      await h.close();
      return startHarness({ tokenLifetimeSeconds: 60 });
    })();
    h = short;
    await h.client.listPrograms();
    await h.newClient().listPrograms();
    // 60 s tokens are always inside the 120 s refresh margin: the second client refreshes.
    const auths = h.sim.requests.filter((r) => r.operation === "auth").map((r) => r.body.grant_type);
    expect(auths).toEqual(["password", "refresh_token"]);
  });
});
