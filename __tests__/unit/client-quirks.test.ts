import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";

/**
 * Answer shapes the real service is known to produce but the simulator does not: the legacy "vms" key,
 * single objects where a list is usual, a string status. Served by a bare loopback server.
 */
const HUGE = Symbol("an 80 MiB answer");

describe("client tolerance of FortiFlex answer quirks, and refusal of answers it does not understand", () => {
  let server: http.Server;
  let client: FortiFlexClient;
  const answers: Record<string, unknown> = {};
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const op = (req.url ?? "").replace("/ES/api/fortiflex/v2/", "");
      const body = op === "/token/" ? { access_token: "a".repeat(30), expires_in: 3660, refresh_token: "r", status: "success" } : answers[op];
      res.writeHead(200, { "Content-Type": "application/json" });
      if (body === HUGE) {
        // Streams past the client's limit without ever holding the whole answer here either.
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent++ < 80 && res.write(chunk));
          if (sent < 80) res.once("drain", pump);
          else res.end();
        };
        return pump();
      }
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    client = new FortiFlexClient({
      apiUrl: `http://127.0.0.1:${port}/ES/api/fortiflex/v2/`,
      authUrl: `http://127.0.0.1:${port}/token/`,
      credentials: { username: "u", password: "p" },
      tokenCacheDir: false,
    });
  });
  afterAll(async () => {
    // The client keeps its connections alive; the test server closes them rather than wait for them.
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const ok = { error: null, message: "Request processed successfully.", status: 0 };
  const entitlement = {
    serialNumber: "FGVMELTM25008315",
    configId: 41045,
    accountId: 1,
    description: null,
    startDate: "2025-08-06T10:36:29.723",
    endDate: "2025-08-09T00:00:00",
    status: "ACTIVE",
    token: "B07496A9C7717050DEE4",
    tokenStatus: "USED",
  };

  test("legacy 'vms' key instead of 'entitlements'", async () => {
    answers["entitlements/stop"] = { ...ok, vms: [entitlement] };
    expect((await client.stopEntitlement("FGVMELTM25008315")).serialNumber).toBe("FGVMELTM25008315");
  });

  test("an object where a one-element list is usual, and a string status", async () => {
    answers["groups/nexttoken"] = { ...ok, status: "0", entitlements: entitlement };
    expect((await client.nextToken({ configId: 41045 }))?.token).toBe("B07496A9C7717050DEE4");
  });

  test("more than one object for a single-object write is an error, not a silent pick", async () => {
    answers["entitlements/update"] = { ...ok, entitlements: [entitlement, entitlement] };
    await expect(client.updateEntitlement({ serialNumber: "x", configId: 1 })).rejects.toThrow(/expected one object in "entitlements", got 2/);
  });

  test("a 200 answer without its list is an error, never an empty list", async () => {
    for (const answer of [{ ...ok }, { ...ok, entitlements: null }, { ...ok, entitlements: "none" }, { ...ok, entitlements: [1, 2] }]) {
      answers["entitlements/list"] = answer;
      await expect(client.listEntitlements({ accountId: 1, programSerialNumber: "ELAVMS0000000518" })).rejects.toThrow(
        /entitlements\/list failed: HTTP 200: the answer has no "entitlements" list/,
      );
    }
    answers["configs/list"] = { ...ok, configs: [] };
    expect(await client.listConfigs({ programSerialNumber: "ELAVMS0000000518" })).toEqual([]);
  });

  test("an answer over the size limit is refused without reading it whole; after a create it is an unknown outcome", async () => {
    answers["entitlements/list"] = HUGE;
    const before = process.memoryUsage().rss;
    await expect(client.listEntitlements({ accountId: 1, programSerialNumber: "ELAVMS0000000518" })).rejects.toThrow(
      /the answer is larger than 67108864 bytes; refusing to read it/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    answers["entitlements/vm/create"] = HUGE;
    await expect(client.createVmEntitlements({ configId: 1, count: 1 })).rejects.toThrow(
      /entitlements\/vm\/create: outcome unknown \(the answer is larger than/,
    );
  });

  test("tools/calc under either data key", async () => {
    answers["tools/calc"] = { ...ok, configs: { current: 13.1, latest: null, latestEffectiveDate: null } };
    expect((await client.calc({ programSerialNumber: "ELAVMS0000000518", productTypeId: 1, count: 1, parameters: [] })).current).toBe(13.1);
    answers["tools/calc"] = { ...ok, points: 12.5 };
    expect((await client.calc({ programSerialNumber: "ELAVMS0000000518", productTypeId: 1, count: 1, parameters: [] })).current).toBe(12.5);
  });
});
