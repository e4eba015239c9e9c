import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";

/** `npm run simulator`: one JSON line (or export lines, or an env file) when listening, state kept in a file, clean stop on SIGTERM. */
describe("simulator command", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-simcli-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The simulator command from its sources; `output` is its first `lines` lines, as printed once it listens. */
  const run = (args: string[], lines = 1) => {
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
    const output = new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.split("\n").length > lines) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`simulator exited with ${code}: ${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, output, exited, stderr: () => err };
  };
  /** The simulator command with its JSON line parsed. */
  const start = (args: string[]) => {
    const r = run(args);
    return { ...r, line: r.output.then((out) => JSON.parse(out.split("\n")[0]) as Record<string, unknown>) };
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
    await expect(start(["--seed", "nope"]).line).rejects.toThrow(/--seed must be one of demo, got "nope"/);
  });

  /** What a shell makes of `export` lines, by `eval` or `source`: the five variables, exactly. */
  const evaluated = (shell: "bash" | "sh", how: "eval" | "source", what: string) => {
    const load = how === "eval" ? 'eval "$1"' : '. "$1"';
    const names = ["FORTIFLEX_API_URL", "FORTIFLEX_AUTH_URL", "FORTIFLEX_ACCESS_USERNAME", "FORTIFLEX_ACCESS_PASSWORD", "FORTIFLEX_SIMULATOR_PID"];
    const script = `${load}; printf '%s\\0' ${names.map((n) => `"$${n}"`).join(" ")}`;
    return execFileSync(shell, ["-c", script, "_", what], { env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] })
      .toString()
      .split("\0")
      .slice(0, 5);
  };
  const programsWith = async ([apiUrl, authUrl, username, password]: string[]) =>
    (await new FortiFlexClient({ apiUrl, authUrl, credentials: { username, password }, tokenCacheDir: false }).listPrograms()).map((p) => p.serialNumber);

  test("--print-env: export lines that a shell evaluates to the coordinates, however odd the password", async () => {
    const password = `it's "odd" $HOME \`id\` \\ !x\nline two`;
    const sim = run(["--print-env", "--password", password], 6);
    const block = await sim.output;
    expect(block.split("\n").map((l) => l.split("=")[0])).toEqual([
      "export FORTIFLEX_API_URL",
      "export FORTIFLEX_AUTH_URL",
      "export FORTIFLEX_ACCESS_USERNAME",
      "export FORTIFLEX_ACCESS_PASSWORD",
      "line two'",
      "export FORTIFLEX_SIMULATOR_PID",
      "",
    ]);
    for (const shell of ["bash", "sh"] as const) {
      const values = evaluated(shell, "eval", block);
      expect(values).toEqual([
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/ES\/api\/fortiflex\/v2\/$/),
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/oauth\/token\/$/),
        "sim-mssp-api-user",
        password,
        String(sim.child.pid),
      ]);
      expect(await programsWith(values)).toEqual(["ELAVMS0000000518"]);
    }
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
  });

  test("--env-file: the lines in a file only its owner reads, written whole over what was there, removed at stop; the password nowhere else", async () => {
    const file = path.join(tmp, "simulator.env");
    fs.writeFileSync(file, "stale\n", { mode: 0o644 });
    const sim = run(["--env-file", file, "--password", "env-file-pw"]);
    const info = JSON.parse(await sim.output) as Record<string, unknown>;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const values = evaluated("bash", "source", file);
    expect(values.slice(2)).toEqual(["sim-mssp-api-user", "env-file-pw", String(sim.child.pid)]);
    expect(await programsWith(values)).toEqual(["ELAVMS0000000518"]);
    expect(info).toEqual(expect.objectContaining({ apiUrl: values[0], envFile: file, pid: sim.child.pid }));
    expect(Object.keys(info)).not.toContain("password");
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
    expect(JSON.stringify(info) + sim.stderr()).not.toContain("env-file-pw");
    expect(fs.existsSync(file)).toBe(false);
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
