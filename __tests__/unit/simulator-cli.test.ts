import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";

/** `npm run simulator`: one JSON line when listening, state kept in a file, clean stop on SIGTERM. */
describe("simulator command", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-simcli-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const start = (args: string[]) => {
    const child = spawn(
      process.execPath,
      [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(__dirname, "..", "..", "simulator", "cli.ts"), ...args],
      {
        env: { ...process.env, FORTIFLEX_SIMULATOR_PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const line = new Promise<Record<string, unknown>>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]));
      });
      child.on("exit", (code) => reject(new Error(`simulator exited with ${code}: ${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, line, exited };
  };

  test("prints its coordinates, keeps state across restarts, stops on SIGTERM", async () => {
    const state = path.join(tmp, "world.json");
    const first = start(["--state", state, "--password", "cli-test-pw"]);
    const info = await first.line;
    expect(info).toEqual({
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/ES\/api\/fortiflex\/v2\/$/),
      authUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/oauth\/token\/$/),
      controlUrl: expect.any(String),
      username: "sim-mssp-api-user",
      password: "cli-test-pw",
      programSerialNumber: "ELAVMS0000000518",
      accountId: 1525959,
      memberAccountIds: [1525960, 1525961, 1525962, 1525963],
      pid: first.child.pid,
    });
    const client = (i: Record<string, unknown>) =>
      new FortiFlexClient({
        apiUrl: i.apiUrl as string,
        authUrl: i.authUrl as string,
        credentials: { username: "sim-mssp-api-user", password: "cli-test-pw" },
        tokenCacheDir: false,
      });
    await client(info).createConfig({
      programSerialNumber: "ELAVMS0000000518",
      name: "kept",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "1" },
        { id: 2, value: "FC" },
      ],
    });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(fs.statSync(state).mode & 0o777).toBe(0o600);

    const second = start(["--state", state]);
    const info2 = await second.line;
    expect(info2.password).toBe("cli-test-pw");
    expect((await client(info2).listConfigs({ programSerialNumber: "ELAVMS0000000518" })).map((c) => c.name)).toEqual(["kept"]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  test("bad arguments fail with a clear message", async () => {
    await expect(start(["--port", "70000"]).line).rejects.toThrow(/exited with 1: .*--port must be 0-65535, got "70000"/);
    await expect(start(["--request-budget", "0"]).line).rejects.toThrow(/--request-budget must be a whole number of requests per minute >= 1, got "0"/);
  });

  test("--request-budget N: the API user's request over N a minute is answered 429 with Retry-After", async () => {
    const sim = start(["--request-budget", "1"]);
    const c = (await sim.line) as { apiUrl: string; authUrl: string; username: string; password: string };
    const auth = await fetch(c.authUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: c.username, password: c.password, client_id: "flexvm", grant_type: "password" }),
    });
    const { access_token } = (await auth.json()) as { access_token: string };
    const list = () =>
      fetch(`${c.apiUrl}programs/list`, {
        method: "POST",
        headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
        body: "{}",
      });
    expect((await list()).status).toBe(200);
    const over = await list();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
  });
});
