import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";
import { waitFor } from "../../reliability/wait-for";

const ROOT = path.join(__dirname, "..", "..");
/** The process groups started here (each npm run leads its own). */
const groups: number[] = [];

/** A process's state, process group and session from /proc, or undefined once it is gone. */
function procStat(pid: number): { state: string; pgrp: number; session: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // pid (comm) state ppid pgrp session ...: comm may hold spaces and parentheses, so read after the last ")".
  const [state, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state, pgrp: Number(pgrp), session: Number(session) };
}

/** Still running: a zombie has ended, only its exit status is left for its parent. */
const running = (pid: number) => (procStat(pid)?.state ?? "Z") !== "Z";

/** The running processes of a process group. */
function liveInGroup(pgid: number): number[] {
  const pids = fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  return pids.filter((pid) => procStat(pid)?.pgrp === pgid && running(pid));
}

/**
 * `npm run simulator` as the docs show it, in a process group of its own: the pid the shell gets is npm's, the
 * simulator is npm's child. `closed` settles once npm has exited and every holder of its output pipes (the
 * simulator, which inherits them) has closed them: the event that says the simulator has ended.
 */
function npmRunSimulator(args: string[] = []) {
  const npm = spawn("npm", ["run", "--silent", "simulator", "--", ...args], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.push(npm.pid!);
  let err = "";
  npm.stderr.on("data", (d) => (err += d));
  const info = new Promise<{ pid: number; apiUrl: string }>((resolve, reject) => {
    let out = "";
    npm.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]));
    });
    npm.on("exit", (code) => reject(new Error(`npm exited with ${code} before the simulator printed: ${err}`)));
  });
  const closed = new Promise<void>((resolve) => npm.on("close", () => resolve()));
  return { npm, info, closed };
}

/** Stopping the simulator by the pid `npm run simulator &` gives leaves no process behind. */
describe("simulator process", () => {
  // A failing test must not leave its simulator running: whatever is left of each group goes at the end.
  afterAll(() => {
    for (const group of groups) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // nothing left
      }
    }
  });

  test.each(["SIGTERM", "SIGKILL"] as const)("kill -%s of npm's pid ends the simulator too", async (signal) => {
    const run = npmRunSimulator();
    const { pid } = await run.info;
    const group = run.npm.pid!;
    expect(liveInGroup(group).length).toBeGreaterThanOrEqual(2); // npm and the simulator
    expect(pid).not.toBe(group);
    process.kill(group, signal);
    await run.closed;
    expect(liveInGroup(group)).toEqual([]);
  });

  test.each(["SIGTERM", "SIGINT"] as const)("%s to the simulator itself stops it cleanly", async (signal) => {
    const run = npmRunSimulator();
    const { pid, apiUrl } = await run.info;
    expect((await fetch(`${new URL(apiUrl).origin}/__simulator/requests`)).status).toBe(200);
    const npmExit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => run.npm.on("exit", (code, sig) => resolve([code, sig])));
    process.kill(pid, signal);
    await run.closed;
    // npm reports the child's clean exit as its own.
    expect(await npmExit).toEqual([0, null]);
    expect(liveInGroup(run.npm.pid!)).toEqual([]);
  });

  /** A shell command's exit status and output, once it has exited and its output pipes are closed (no one holds them). */
  const shell = (script: string) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on("close", (code) => resolve({ code, out, err })));
  };

  test("--detach: eval of its export lines returns once it listens; it runs on in a session of its own until killed by the pid it gave", async () => {
    const { code, out, err } = await shell(
      'eval "$(npm run --silent simulator -- --seed demo --detach --print-env)" && ' +
        'printf "%s %s %s %s" "$FORTIFLEX_SIMULATOR_PID" "$FORTIFLEX_API_URL" "$FORTIFLEX_AUTH_URL" "$FORTIFLEX_ACCESS_PASSWORD"',
    );
    expect([code, err]).toEqual([0, ""]);
    const [pidText, apiUrl, authUrl, password] = out.split(" ");
    const pid = Number(pidText);
    groups.push(pid);
    expect(procStat(pid)).toEqual({ state: expect.any(String), pgrp: pid, session: pid });
    const client = new FortiFlexClient({ apiUrl, authUrl, credentials: { username: "sim-mssp-api-user", password }, tokenCacheDir: false });
    expect((await client.listConfigs({ programSerialNumber: "ELAVMS0000000518" })).length).toBe(5);
    process.kill(pid, "SIGTERM");
    await waitFor(() => !running(pid), `the detached simulator ${pid} ends on SIGTERM`);
  });

  test("--detach: a simulator that cannot start says why, and does not stay", async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const { code, out, err } = await shell(`npm run --silent simulator -- --detach --port ${port}`);
      expect([code, out]).toEqual([1, ""]);
      expect(err).toMatch(new RegExp(`^fortiflex-simulator: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}\n`));
      const ours = (pid: number) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`--port\0${port}`);
        } catch {
          return false;
        }
      };
      await waitFor(
        () => fs.readdirSync("/proc").every((e) => !/^\d+$/.test(e) || !ours(Number(e)) || !running(Number(e))),
        "the simulator that could not listen ends",
      );
    } finally {
      busy.close();
    }
  });

  test("--detach: a background simulator whose launcher is gone before it reported stops itself (no one knows its pid)", async () => {
    expect((await shell("npm run --silent build:simulator")).code).toBe(0);
    // This test is the launcher, and goes away at once: the simulator finds no one to report to.
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "simulator", "cli.js")], { detached: true, stdio: ["ignore", "ignore", "ignore", "ipc"] });
    groups.push(child.pid!);
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (code, signal) => resolve([code, signal])));
    child.disconnect();
    expect(await exited).toEqual([0, null]);
  });

  test("the simulator guide's 'Into your shell' commands work as written, and the simulator is gone after them", async () => {
    const guide = fs.readFileSync(path.join(ROOT, "docs", "guides", "simulator.md"), "utf8");
    const [, commands] = /## Into your shell\n\n```sh\n([\s\S]*?)```/.exec(guide)!;
    expect(commands).toMatch(/^eval "\$\(npm run --silent simulator -- --seed demo --detach --print-env\)"\n[\s\S]*\nkill "\$FORTIFLEX_SIMULATOR_PID"\n$/);
    const { code, out, err } = await shell(`set -e\n${commands}printf 'pid=%s\\n' "$FORTIFLEX_SIMULATOR_PID"\n`);
    expect([code, err]).toEqual([0, ""]);
    const pid = Number(/^pid=(\d+)$/m.exec(out)![1]);
    groups.push(pid);
    // The figures are the guide's (checked on a fixed day by simulator-seed.test.ts); here, that the report saw the seed.
    const rows = out.split("\n").filter((l) => /^│ \d{5} /.test(l));
    expect(rows.map((r) => r.split("│")[2].trim())).toEqual(["Fabrikam edge", "Woodgrove HA", "Contoso edge", "Woodgrove lab", "Northwind edge"]);
    await waitFor(() => !running(pid), `the simulator ${pid} ends after the guide's kill`);
  });
});
