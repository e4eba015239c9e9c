import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import type { RequestEvent } from "../../custom-provider/fortiflex-client";
import { SharedPauseFile } from "../../custom-provider/shared-pause-file";
import { TokenCacheFile } from "../../custom-provider/token-cache-file";
import { RequestBudget } from "../../simulator/request-budget";
import { waitFor } from "../../reliability/wait-for";
import { type Harness, startHarness } from "../helpers/simulator-harness";

/**
 * FortiFlex limits requests per API user (reported: about 100 a minute). The simulator enforces such a
 * budget on request; the client waits out 429s without spending its attempts, and one process's 429 pauses
 * every process of the same user on the runner (they share the token cache's directory).
 */
test("the simulator's per-user budget refuses the request over it, with the time until the window frees one", () => {
  const budget = new RequestBudget({ requests: 2, windowMs: 10_000 });
  expect(budget.take("a", 1_000)).toBeUndefined();
  expect(budget.take("a", 4_000)).toBeUndefined();
  expect(budget.take("a", 5_000)).toBe(6_000); // the request at 1 s leaves the window at 11 s
  expect(budget.take("b", 5_000)).toBeUndefined(); // per user
  expect(budget.take("a", 11_001)).toBeUndefined();
  expect(() => new RequestBudget({ requests: 0 })).toThrow(/request budget must be a whole number of requests >= 1, got 0/);
});

test("after a 429 the processes of one API user send in turn, a gap apart, after any newer pause; then they send freely", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-pause-"));
  try {
    const pause = new SharedPauseFile(new TokenCacheFile(dir, "http://127.0.0.1:1/api/v1/oauth/token/", "u", "p"));
    const t = 1_000_000;
    const wait = async (now: number) => (await pause.reserve(now)) - now;
    expect(await wait(t)).toBe(0);
    await pause.extend(t + 1_000, 600);
    // Three processes asking at once get three slots: the end of the pause, then 600 ms apart.
    expect([await wait(t), await wait(t), await wait(t)]).toEqual([1_000, 1_600, 2_200]);
    // Another 429 meanwhile: later slots start after the new pause.
    await pause.extend(t + 3_000, 600);
    expect(await wait(t + 500)).toBe(3_000 - 500);
    expect(await wait(t + 500)).toBe(3_600 - 500);
    // Long after the last slot: no wait.
    expect(await wait(t + 60_000)).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("a request budget per API user, over HTTP", () => {
  let h: Harness;
  afterEach(async () => h.close());

  test("over HTTP: 429 with Retry-After, unprocessed; the client waits it out without spending attempts; other users unaffected", async () => {
    h = await startHarness({ requestBudget: { requests: 3, windowMs: 1_500 } }, { maxDelayMs: 5_000, maxAttempts: 1 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await h.client.listPrograms()).toHaveLength(1);
    const answers = h.sim.requests.filter((r) => r.operation === "programs/list").map((r) => r.httpStatus);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((s) => s === 200)).toHaveLength(5);
    // Five reads at three per 1.5 s take at least one window; with maxAttempts 1 none failed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const retries = h.events.filter((e) => e.outcome === "retry");
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.filter((e) => e.httpStatus !== 429 || !/retrying in \d{3,4} ms/.test(e.detail ?? ""))).toEqual([]);
    const other = h.newClient({
      credentials: { username: h.sim.seed.otherTenant.username, password: h.sim.seed.otherTenant.password },
      tokenCacheDir: path.join(h.tmp, "other-cache"),
    });
    const before = h.sim.requests.length;
    await other.listPrograms();
    expect(h.sim.requests.slice(before).map((r) => r.httpStatus)).toEqual([200, 200]); // its token, then its read
  });

  test("a 429 met by one client pauses another client of the same API user (one token cache directory)", async () => {
    h = await startHarness({}, { maxDelayMs: 5_000 });
    h.sim.faults.set([{ operation: "configs/list", kind: "rate-limit", retryAfterSeconds: 1, times: 1 }]);
    const first = h.client.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber });
    // The first client's retry event follows the pause it wrote; the pause runs from the 429 on.
    await waitFor(() => h.events.some((e) => e.outcome === "retry" && e.httpStatus === 429), "the first client's 429");
    const limitedAt = Date.parse(h.sim.requests.find((r) => r.httpStatus === 429)!.at);
    const secondEvents: RequestEvent[] = [];
    const second = h.newClient({ onEvent: (e) => secondEvents.push(e) });
    await second.listPrograms();
    const sentAt = Date.parse(h.sim.requests.filter((r) => r.operation === "programs/list").pop()!.at);
    expect(sentAt - limitedAt).toBeGreaterThanOrEqual(900);
    expect(secondEvents.map((e) => e.outcome)).toEqual(["wait", "ok"]);
    await first;
    // Another user's client is not held back.
    const otherEvents: RequestEvent[] = [];
    const other = h.newClient({
      credentials: { username: h.sim.seed.otherTenant.username, password: h.sim.seed.otherTenant.password },
      onEvent: (e) => otherEvents.push(e),
    });
    h.sim.faults.set([{ operation: "configs/list", kind: "rate-limit", retryAfterSeconds: 1, times: 1 }]);
    const again = h.client.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber });
    await waitFor(() => h.events.filter((e) => e.outcome === "retry" && e.httpStatus === 429).length === 2, "the second 429");
    await other.listPrograms();
    // Its read went out at once: no "wait" on the other user's pause.
    expect(otherEvents.map((e) => e.outcome)).toEqual(["ok"]);
    await again;
  });

  test("ten handler processes of one API user, over its budget, all finish: each 429 pauses them all", async () => {
    h = await startHarness({ requestBudget: { requests: 4, windowMs: 1_000 } });
    const handler = handlerBundle().path;
    const identity = {
      kind: "config",
      key: "acme/none",
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: String(h.sim.seed.accountId),
      product_type_id: "1",
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
    };
    const env = {
      ...process.env,
      FORTIFLEX_ACCESS_USERNAME: h.sim.seed.username,
      FORTIFLEX_ACCESS_PASSWORD: h.sim.seed.password,
      FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "runner-cache"),
    };
    const observe = () =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const child = spawn(process.execPath, [handler, "observe"], { env, stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.on("close", (code) => resolve({ code: code ?? -1, out }));
        const { kind, key, product_type_id, ...scope } = identity;
        const objects = [
          { identity: JSON.stringify(identity), settings: JSON.stringify({ name: "x", parameters: "1=2,2=UTP" }), detect_drift: "true", attributes: "false" },
        ];
        child.stdin.end(
          JSON.stringify({ scope: JSON.stringify(scope), namespace: "acme", declared: JSON.stringify(["acme/none"]), objects: JSON.stringify(objects) }),
        );
      });
    const results = await Promise.all(Array.from({ length: 10 }, observe));
    expect(results.map((r) => r.code)).toEqual(Array(10).fill(0));
    expect(results.every((r) => JSON.parse(r.out)["in_sync:acme/none"] === "true")).toBe(true);
    const api = h.sim.requests.filter((r) => r.operation !== "auth");
    expect(api.filter((r) => r.httpStatus === 429).length).toBeGreaterThanOrEqual(1);
    // One authentication for the ten processes (the shared token cache), and the pause file beside it.
    expect(h.sim.requests.filter((r) => r.operation === "auth")).toHaveLength(1);
    expect(fs.readdirSync(path.join(h.tmp, "runner-cache")).some((f) => f.endsWith(".pause.json"))).toBe(true);
  }, 30_000);
});
